import { isMap } from 'yaml';
import { TextPositions } from '../positions';
import type { ParsedYaml } from '../yaml-parse';
import { MAX_SPEC_LENGTH, MAX_SPEC_NODES, parseYaml, reportDuplicateKeys } from '../yaml-parse';
import type { Composed } from './composer';
import { DocumentComposer } from './composer';
import { splitEntries } from './entries';
import type { WindowParts, WindowShape } from './window';
import { parseWindow, windowSource } from './window';

/** A parse for the typing-time features, and whether it is exactly the whole parse. */
export interface ParsedStructure {
  parsed: ParsedYaml;
  exact: boolean;
}

/**
 * Parses successive versions of one document, reusing the parse of every entry (a top-level key,
 * or one source or target) whose text did not change: typing in a 2,000-line spec re-reads the
 * entry being edited, not the file.
 *
 * parse() gives what parseYaml gives for the same text (test/spec/parse-reuse.test.ts compares
 * them on random edits): whenever the split is in doubt (anchors, a YAML error, an unusual
 * layout) it is parseYaml's. structure() is for hover, outline and navigation while an entry is
 * being typed: an entry that is not valid YAML yet is taken as yaml read it on its own, so the
 * rest of the document does not wait for a whole parse.
 */
export class ReusingParser {
  /** This version's windows by source: exactly those of the last text parsed. */
  private windows = new Map<string, WindowParts | null>();
  /** What the parses did: for tests (the reuse really ran) and the benchmark. */
  readonly stats = { composed: 0, approximate: 0, whole: 0, windowsParsed: 0 };

  parse(text: string): ParsedYaml {
    const composed = this.compose(text, true);
    if (!composed) return this.whole(text);
    this.stats.composed += 1;
    return composed;
  }

  structure(text: string): ParsedStructure {
    const composed = this.compose(text, false);
    if (!composed) return { parsed: this.whole(text), exact: true };
    const exact = composed.diagnostics.length === 0;
    if (exact) this.stats.composed += 1;
    else this.stats.approximate += 1;
    return { parsed: composed, exact };
  }

  /**
   * The composed parse, or undefined when the windows do not compose (or, with `exactOnly`,
   * when the result would not be exactly the whole parse). A composition that is not exact
   * carries one placeholder diagnostic, which nothing shows: its YAML problems are not known.
   */
  private compose(text: string, exactOnly: boolean): ParsedYaml | undefined {
    const entries = text.length > MAX_SPEC_LENGTH ? undefined : splitEntries(text);
    if (!entries) return undefined;
    const previous = this.windows;
    const current = new Map<string, WindowParts | null>();
    const find = (shape: WindowShape) => {
      const source = windowSource(shape);
      let parts = current.get(source) ?? previous.get(source);
      if (parts === undefined) {
        parts = parseWindow(shape, source) ?? null;
        this.stats.windowsParsed += 1;
      }
      current.set(source, parts);
      return parts ?? undefined;
    };
    // For the typing-time features, a window that does not compose gets a second chance with
    // a guard before its sentinel (window.ts): the entry being typed, as yaml reads it alone.
    const lookup = (shape: WindowShape) =>
      find(shape) ??
      (exactOnly || shape.sentinel === undefined ? undefined : find({ ...shape, guarded: true }));
    let composed: Composed | undefined;
    try {
      composed = new DocumentComposer(text, lookup, exactOnly).compose(entries);
    } catch {
      // A bug in the reuse must cost time, never a wrong or missing result.
      composed = undefined;
    }
    this.windows = current;
    if (!composed) return undefined;
    const exact = composed.exact && this.checked(composed, current);
    if (exactOnly && !exact) return undefined;
    const { doc, value } = composed;
    const diagnostics = exact ? [] : [NOT_EXACT];
    return { text, positions: new TextPositions(text), doc, value, diagnostics };
  }

  /**
   * Whether a composition of exact windows is what readDocuments gives the whole text: each
   * window was checked whole (window.ts), so what is left is keys repeated across windows and
   * the size. The data was composed from the windows' (window-data.ts); the values of unchanged
   * entries are those of the last version, so nothing may change them (nothing does: the checks
   * and the features only read).
   */
  private checked(composed: Composed, windows: Map<string, WindowParts | null>): boolean {
    let nodes = 0;
    for (const parts of windows.values()) nodes += parts?.nodes ?? 0;
    // Windows count their frames and sentinels too: more than the document, never fewer.
    if (nodes > MAX_SPEC_NODES) return false;
    let problems = 0;
    const count = () => (problems += 1);
    const root = composed.doc.contents;
    if (!isMap(root)) return false;
    reportDuplicateKeys(root, count);
    for (const pair of root.items) if (isMap(pair.value)) reportDuplicateKeys(pair.value, count);
    return problems === 0;
  }

  private whole(text: string): ParsedYaml {
    this.stats.whole += 1;
    return parseYaml(text);
  }
}

/** Marks a composition whose YAML problems were not worked out (structure() only). */
const NOT_EXACT: ParsedYaml['diagnostics'][number] = {
  severity: 'error',
  code: 'yaml-syntax',
  message: 'parsed entry by entry while one is being typed; the whole parse has the problems',
  range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
};
