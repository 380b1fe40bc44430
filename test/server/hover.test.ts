import * as assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Hover } from 'vscode-languageserver-protocol';
import { HoverRequest } from 'vscode-languageserver-protocol';
import { DocumentAnalysis } from '../../server/src/analysis';
import { hoverAt } from '../../server/src/hover';
import { assertGolden, fixturesOf } from './support/golden';
import { InProcessServer } from './support/in-process-server';
import { cursors, markedLine } from './support/markers';

/** Next runs depend on the clock and the time zone; the golden files keep their shape only. */
function withoutClock(markdown: string): string {
  return markdown
    .replace(/^- \w{3} \d{4}-\d\d-\d\d \d\d:\d\d$/gm, '- <next run>')
    .replace(/^Next runs \(.*\):$/m, 'Next runs (<time zone>):');
}

function textOf(hover: Hover | null): string {
  if (!hover) return '(no hover)';
  const contents = hover.contents;
  const value = typeof contents === 'object' && 'value' in contents ? contents.value : '';
  const range = hover.range
    ? `${hover.range.start.line + 1}:${hover.range.start.character + 1}-${hover.range.end.line + 1}:${hover.range.end.character + 1}`
    : 'no range';
  return `[${range}]\n${withoutClock(value)}`;
}

describe('hover over LSP (golden fixtures in test/fixtures/lsp/hover)', () => {
  let server: InProcessServer;
  before(async () => {
    server = await InProcessServer.start();
  });
  after(() => server.stop());

  for (const fixture of fixturesOf('hover')) {
    test(fixture.name, async () => {
      const { text, positions } = cursors(fixture.marked);
      const uri = `file:///hover/${fixture.name}`;
      await server.open(uri, text);
      const sections: string[] = [];
      for (const [index, position] of positions.entries()) {
        const hover = await server.client.sendRequest(HoverRequest.type, {
          textDocument: { uri },
          position,
        });
        if (hover?.range) {
          const { start, end } = hover.range;
          assert.ok(
            start.line === position.line &&
              start.character <= position.character &&
              end.character >= position.character,
            `the hover range at cursor ${index + 1} covers the cursor`,
          );
        }
        sections.push(
          `── cursor ${index + 1}, line ${position.line + 1}: ${JSON.stringify(markedLine(text, position))}`,
          textOf(hover),
          '',
        );
      }
      assertGolden(fixture.path, sections.join('\n'));
    });
  }
});

describe('hover on schedule: the next runs', () => {
  const hoverText = (text: string, now: Date) => {
    const analysis = new DocumentAnalysis(text);
    const hover = hoverAt(analysis, { line: 1, character: 12 }, { now });
    const contents = hover?.contents;
    return typeof contents === 'object' && contents && 'value' in contents ? contents.value : '';
  };

  test('a daily schedule lists the next three days at its hour, after "now"', () => {
    const now = new Date(2026, 0, 1, 12, 0);
    const runs = [
      ...hoverText("version: 1\nschedule: '0 3 * * *'\n", now).matchAll(/^- (.*)$/gm),
    ].map((m) => m[1]);
    assert.deepEqual(runs, [
      'Fri 2026-01-02 03:00',
      'Sat 2026-01-03 03:00',
      'Sun 2026-01-04 03:00',
    ]);
  });

  test('weekdays every six hours skip the weekend', () => {
    const friday = new Date(2026, 0, 2, 19, 0);
    const runs = [
      ...hoverText("version: 1\nschedule: '30 */6 * * 1-5'\n", friday).matchAll(/^- (.*)$/gm),
    ].map((m) => m[1]);
    assert.deepEqual(runs, [
      'Mon 2026-01-05 00:30',
      'Mon 2026-01-05 06:30',
      'Mon 2026-01-05 12:30',
    ]);
  });
});
