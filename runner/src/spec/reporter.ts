import { isMap } from 'yaml';
import type { Node } from 'yaml';
import type { DiagnosticCode } from './codes';
import { severityOf } from './codes';
import type { Diagnostic, DiagnosticData, Range, SpecPath } from './diagnostic';
import type { ParsedYaml } from './yaml-parse';
import { isEmptyNode, isMultiLine, locate, nodeSpan } from './yaml-locate';

/**
 * Turns "this path is wrong" into a diagnostic at the most precise place in the text: the key for
 * problems of a mapping entry, the value for problems of a value, the alias where a path runs
 * through one. Nothing lands on the whole document while a closer node exists.
 */
export class DiagnosticReporter {
  readonly diagnostics: Diagnostic[] = [];

  constructor(private readonly parsed: ParsedYaml) {}

  atKey(path: SpecPath, code: DiagnosticCode, message: string, data?: DiagnosticData): void {
    this.push(this.keyRange(path), code, message, data);
  }

  atValue(path: SpecPath, code: DiagnosticCode, message: string, data?: DiagnosticData): void {
    this.push(this.valueRange(path), code, message, data);
  }

  keyRange(path: SpecPath): Range {
    const doc = this.parsed.doc;
    if (!doc) return this.span(undefined);
    if (path.length === 0)
      return this.span(firstRootKey(doc.contents) ?? doc.contents ?? undefined);
    const located = locate(doc, path);
    return this.span(located.via ?? located.key ?? located.value ?? located.deepest);
  }

  valueRange(path: SpecPath): Range {
    const doc = this.parsed.doc;
    if (!doc) return this.span(undefined);
    const located = locate(doc, path);
    if (located.via) return this.span(located.via);
    const { value, key } = located;
    if (value && !isEmptyNode(value) && !(key && isMultiLine(value, this.parsed.text))) {
      return this.span(value);
    }
    return this.span(key ?? value ?? located.deepest);
  }

  private span(node: Node | null | undefined): Range {
    if (!node) return this.parsed.positions.rangeOf(0, 0);
    const [start, end] = nodeSpan(node);
    return this.parsed.positions.rangeOf(start, end);
  }

  private push(range: Range, code: DiagnosticCode, message: string, data?: DiagnosticData): void {
    const diagnostic: Diagnostic = { severity: severityOf(code), code, message, range };
    if (data) diagnostic.data = data;
    this.diagnostics.push(diagnostic);
  }
}

function firstRootKey(contents: unknown): Node | undefined {
  if (!isMap(contents)) return undefined;
  const key = contents.items[0]?.key;
  return key && typeof key === 'object' && 'range' in key ? (key as Node) : undefined;
}
