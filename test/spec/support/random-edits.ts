/**
 * Random edits of a YAML text, the way typing changes a spec: values retyped, lines inserted,
 * deleted, indented and moved, single characters typed or deleted (breaking the YAML as often
 * as not), and now and then a return to an earlier version (undo). Seeded, so a failure can be
 * replayed.
 */

const VALUES = ['x', '1', 'true', '~', '', '[a, b]', '{a: 1}', '"q"', "'s'", '|', '>-', '/srv/x'];
const MORE_VALUES = ['&a x', '*a', '!!str 1', 'a #c', 'b: c', '[', '"open', 'sqlite', '- item'];
const LINES = ['k: v', '# comment', '', '- item', 'type: sqlite', 'k:', 'path: /srv/x'];
const ODD_LINES = ['---', '...', '"quoted": 1', '? x', '\tk: v', 'k: |', '  text', '#', 'k:v'];
const CHARACTERS = [
  ' ',
  '\n',
  ':',
  '-',
  '#',
  '"',
  "'",
  '[',
  ']',
  '{',
  '}',
  ',',
  '&',
  '*',
  '\t',
  '\r',
  'a',
];

export interface Edit {
  text: string;
  what: string;
}

export class RandomEditor {
  private readonly history: string[] = [];

  constructor(private readonly random: () => number) {}

  next(text: string): Edit {
    this.history.push(text);
    const lines = text.split('\n');
    const line = this.index(lines.length);
    const roll = this.random();
    if (roll < 0.08 && this.history.length > 1) {
      return { text: this.pick(this.history), what: 'back to an earlier version' };
    }
    if (roll < 0.35) return this.retypeValue(lines, line);
    if (roll < 0.5) {
      const inserted = this.indentation() + this.pick(this.random() < 0.8 ? LINES : ODD_LINES);
      lines.splice(line, 0, inserted);
      return {
        text: lines.join('\n'),
        what: `line ${line + 1} inserted: ${JSON.stringify(inserted)}`,
      };
    }
    if (roll < 0.6) {
      lines.splice(line, 1);
      return { text: lines.join('\n'), what: `line ${line + 1} deleted` };
    }
    if (roll < 0.7) return this.reindent(lines, line);
    if (roll < 0.78) return this.moveLines(lines, line);
    return this.typeCharacter(text);
  }

  /** The value of the first `key:` line from `from` on (wrapping around) is typed anew. */
  private retypeValue(lines: string[], from: number): Edit {
    let line = from;
    for (let n = 0; n < lines.length && !/^\s*[\w-]+:( |$)/.test(lines[line] ?? ''); n++)
      line = (line + 1) % lines.length;
    const current = lines[line] ?? '';
    const colon = current.indexOf(':');
    const value = this.pick(this.random() < 0.9 ? VALUES : MORE_VALUES);
    lines[line] = `${current.slice(0, colon + 1)} ${value}`;
    return {
      text: lines.join('\n'),
      what: `line ${line + 1} retyped: ${JSON.stringify(lines[line])}`,
    };
  }

  private reindent(lines: string[], line: number): Edit {
    const current = lines[line] ?? '';
    const by = 1 + this.index(2);
    lines[line] = this.random() < 0.5 ? ' '.repeat(by) + current : current.replace(/^ {1,2}/, '');
    return { text: lines.join('\n'), what: `line ${line + 1} reindented` };
  }

  private moveLines(lines: string[], line: number): Edit {
    const moved = lines.splice(line, 1 + this.index(6));
    const to = this.index(lines.length + 1);
    lines.splice(to, 0, ...moved);
    return { text: lines.join('\n'), what: `lines ${line + 1}+${moved.length} moved to ${to + 1}` };
  }

  private typeCharacter(text: string): Edit {
    const at = this.index(text.length + 1);
    if (this.random() < 0.5) {
      const typed = this.pick(CHARACTERS);
      return {
        text: text.slice(0, at) + typed + text.slice(at),
        what: `${JSON.stringify(typed)} typed at ${at}`,
      };
    }
    return { text: text.slice(0, at) + text.slice(at + 1), what: `character at ${at} deleted` };
  }

  private indentation(): string {
    return ' '.repeat(2 * this.index(4));
  }

  private index(length: number): number {
    return Math.floor(this.random() * length);
  }

  private pick<T>(items: T[]): T {
    return items[this.index(items.length)]!;
  }
}
