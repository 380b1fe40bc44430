import { isScalar } from 'yaml';
import { MarkupKind } from 'vscode-languageserver';
import type { Hover, Position } from 'vscode-languageserver';
import type { SpecPath } from 'backup-runner/spec';
import { rawValueAt, schemasAt } from 'backup-runner/spec';
import type { DocumentAnalysis } from './analysis';
import { nodeAt } from './ast-path';
import { formatRun, localTimeZone, readCron } from './cron-words';
import { describeRetention } from './retention-words';
import { code, schemaMarkdown, schemaTitle, valueMarkdown } from './schema-docs';
import { descriptionOf, isScalarValue, requiredKeys } from './schema-facts';
import { isSourceReference } from './name-index';

export interface HoverOptions {
  /** The time the next runs of `schedule` are counted from. */
  now?: Date;
}

/**
 * Hover: the schema's documentation of the key or value under the cursor; for `schedule` the
 * expression in words and its next runs, for `retention` what the policy keeps, for a source
 * name what that source is.
 */
export function hoverAt(
  analysis: DocumentAnalysis,
  position: Position,
  options: HoverOptions = {},
): Hover | null {
  const { structure: parsed } = analysis;
  if (!parsed.doc) return null;
  const hit = nodeAt(parsed.doc, parsed.positions.offsetAt(position));
  if (!hit) return null;
  const root = parsed.value;
  const read = (path: SpecPath, property: string) => rawValueAt(root, [...path, property]);
  const value = isScalar(hit.node) ? hit.node.value : undefined;
  const sections =
    hit.on === 'value' && isSourceReference(hit.path) && typeof value === 'string'
      ? sourceSections(root, value)
      : isEntryName(hit.path, hit.on)
        ? entrySections(root, hit.path)
        : placeSections(hit.path, hit.on, value, read);
  if (sections.length === 0) return null;
  const path = hit.path;
  if (path[0] === 'schedule' && path.length === 1) {
    sections.push(scheduleSection(rawValueAt(root, ['schedule']), options.now ?? new Date()));
  }
  if (path[0] === 'retention') {
    sections.push(
      `**What this keeps:** ${describeRetention(rawValueAt(root, ['retention'])).long}`,
    );
  }
  return {
    contents: { kind: MarkupKind.Markdown, value: sections.filter(Boolean).join('\n\n') },
    range: parsed.positions.rangeOf(hit.start, hit.end),
  };
}

function placeSections(
  path: SpecPath,
  on: 'key' | 'value',
  value: unknown,
  read: (path: SpecPath, property: string) => unknown,
): string[] {
  const schemas = schemasAt(path, read);
  if (schemas.length === 0) return [];
  const last = path.at(-1);
  const parent = path.slice(0, -1);
  const name =
    typeof last === 'number'
      ? `${String(parent.at(-1) ?? '')}[${last}]`
      : String(last ?? 'backup.yaml');
  const required = typeof last === 'string' && requiredKeys(schemasAt(parent, read)).includes(last);
  const sections = [schemaTitle(name, schemas, required)];
  // An item says little on its own ("an absolute path"); what the list is for comes first.
  const list = typeof last === 'number' ? descriptionOf(schemasAt(parent, read)) : undefined;
  if (list) sections.push(list);
  const docs = schemaMarkdown(schemas);
  if (on === 'value' && isScalarValue(value)) {
    const own = valueMarkdown(schemas, value);
    if (own && !docs.startsWith(own)) sections.push(`${code(value)}: ${own}`);
  }
  if (docs) sections.push(docs);
  return sections;
}

/** The name of a source or target, as the key of its entry. */
function isEntryName(path: SpecPath, on: 'key' | 'value'): boolean {
  return on === 'key' && path.length === 2 && (path[0] === 'sources' || path[0] === 'targets');
}

function entrySections(root: unknown, path: SpecPath): string[] {
  const name = String(path[1]);
  if (path[0] === 'sources') {
    const sections = sourceSections(root, name);
    const receivers = targetsReceiving(root, name);
    if (receivers.length > 0)
      sections.push(`Sent to ${receivers.map((t) => `target ${code(t)}`).join(', ')}.`);
    return sections;
  }
  const repository = rawValueAt(root, [...path, 'repository']);
  const where = typeof repository === 'string' ? `: ${code(repository)}` : '';
  return [`**${name}** · restic target`, `A restic repository${where}.`, sourcesOf(root, name)];
}

function targetsReceiving(root: unknown, source: string): string[] {
  const targets = rawValueAt(root, ['targets']);
  if (typeof targets !== 'object' || targets === null) return [];
  return Object.entries(targets as Record<string, unknown>)
    .filter(([, target]) => {
      const list = rawValueAt(target, ['sources']);
      return !Array.isArray(list) || list.includes(source);
    })
    .map(([name]) => name);
}

function sourcesOf(root: unknown, target: string): string {
  const list = rawValueAt(root, ['targets', target, 'sources']);
  if (!Array.isArray(list)) return 'It receives every source.';
  return `It receives ${list.map((name) => code(name)).join(', ')}.`;
}

function sourceSections(root: unknown, name: string): string[] {
  const source = rawValueAt(root, ['sources', name]);
  if (typeof source !== 'object' || source === null) {
    return [`**${name}** · no such source`, 'No source of this name is defined under `sources`.'];
  }
  const type = (source as Record<string, unknown>)['type'];
  const schemas = schemasAt(['sources', name], (path, property) =>
    rawValueAt(root, [...path, property]),
  );
  const kind = typeof type === 'string' ? `${type} source` : 'source';
  return [`**${name}** · ${kind}`, schemaMarkdown(schemas.slice(0, 1))];
}

function scheduleSection(expression: unknown, now: Date): string {
  if (typeof expression !== 'string' || expression.trim() === '') return '';
  const reading = readCron(expression, now);
  if (!reading.ok)
    return `**${code(expression.trim())}** is not a valid schedule: ${reading.message}`;
  const runs = reading.nextRuns.map((run) => `- ${formatRun(run)}`).join('\n');
  return `**${code(expression.trim())}**: ${reading.words}.\n\nNext runs (${localTimeZone()}):\n${runs}`;
}
