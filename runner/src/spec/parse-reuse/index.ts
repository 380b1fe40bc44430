import { isMap } from 'yaml';
import type { Document } from 'yaml';
import { TextPositions } from '../positions';
import type { ParsedYaml } from '../yaml-parse';
import { MAX_SPEC_LENGTH, MAX_SPEC_NODES, parseYaml, reportDuplicateKeys } from '../yaml-parse';
import { DocumentComposer } from './composer';
import { splitEntries } from './entries';
import type { WindowParts, WindowShape } from './window';
import { parseWindow, windowSource } from './window';

/**
 * Parses successive versions of one document, reusing the parse of every entry (a top-level key,
 * or one source or target) whose text did not change: typing in a 2,000-line spec re-reads the
 * entry being edited, not the file. The result is the one parseYaml gives for the same text
 * (test/spec/parse-reuse.test.ts compares them on random edits); whenever the split is in doubt
 * (anchors, a YAML error, an unusual layout) it is parseYaml's.
 */
export class ReusingParser {
  /** This version's windows by source: exactly those of the last text parsed. */
  private windows = new Map<string, WindowParts | null>();
  /** What the parses did: for tests (the reuse really ran) and the benchmark. */
  readonly stats = { composed: 0, whole: 0, windowsParsed: 0 };

  parse(text: string): ParsedYaml {
    const entries = text.length > MAX_SPEC_LENGTH ? undefined : splitEntries(text);
    if (!entries) return this.whole(text);
    const previous = this.windows;
    const current = new Map<string, WindowParts | null>();
    const lookup = (shape: WindowShape) => {
      const source = windowSource(shape);
      let parts = current.get(source) ?? previous.get(source);
      if (parts === undefined) {
        parts = parseWindow(shape, source) ?? null;
        this.stats.windowsParsed += 1;
      }
      current.set(source, parts);
      return parts ?? undefined;
    };
    let composed;
    try {
      composed = new DocumentComposer(text, lookup).compose(entries);
    } catch {
      // A bug in the reuse must cost time, never a wrong or missing result.
      composed = undefined;
    }
    this.windows = current;
    const parsed = composed && this.read(text, composed.doc, composed.value, current);
    if (!parsed) return this.whole(text);
    this.stats.composed += 1;
    return parsed;
  }

  /**
   * What readDocuments gives a composed document when nothing is wrong with it: each window was
   * checked whole (window.ts), so what is left is keys repeated across windows and the size.
   * Any problem at all, and undefined: the whole parse reports it. The data was composed from
   * the windows' (window-data.ts); the values of unchanged entries are those of the last
   * version, so nothing may change them (nothing does: the checks and the features only read).
   */
  private read(
    text: string,
    doc: Document.Parsed,
    value: unknown,
    windows: Map<string, WindowParts | null>,
  ): ParsedYaml | undefined {
    let nodes = 0;
    for (const parts of windows.values()) nodes += parts?.nodes ?? 0;
    // Windows count their frames and sentinels too: more than the document, never fewer.
    if (nodes > MAX_SPEC_NODES) return undefined;
    let problems = 0;
    const count = () => (problems += 1);
    const root = doc.contents;
    if (!isMap(root)) return undefined;
    reportDuplicateKeys(root, count);
    for (const pair of root.items) if (isMap(pair.value)) reportDuplicateKeys(pair.value, count);
    if (problems > 0) return undefined;
    return { text, positions: new TextPositions(text), doc, value, diagnostics: [] };
  }

  private whole(text: string): ParsedYaml {
    this.stats.whole += 1;
    return parseYaml(text);
  }
}
