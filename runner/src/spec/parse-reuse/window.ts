import { isAlias, isMap, isScalar, isSeq, parseAllDocuments } from 'yaml';
import type { Document, Node, Pair, ParsedNode, YAMLMap } from 'yaml';
import { checkStructure, YAML_OPTIONS } from '../yaml-parse';
import type { WindowData } from './window-data';
import { windowData } from './window-data';

/**
 * What one entry is parsed in: the entry's text (its body) between a frame and a sentinel that
 * put yaml's parser in the state the whole document puts it in there.
 *
 * - The frame is the parent's key line (`sources:`) for an entry of a top-level mapping, so the
 *   entry is read at the same depth; a top-level entry has none.
 * - The sentinel is a `_:` line indented as the line after the body is. Comments and blank lines
 *   at the end of the body are attached by what follows them (to the value before, or to the
 *   key after): with the sentinel they meet the same next line as in the whole document.
 */
export interface WindowShape {
  /** The frame's text (empty for a top-level entry). */
  frame: string;
  body: string;
  /** Offsets in frame + body where yaml must find the frame's key and the body's first key. */
  frameKeyAt: number;
  bodyKeyAt: number;
  /** Indentation of the line after the body; undefined when the body ends the document. */
  sentinel: number | undefined;
  /**
   * A comment line before the sentinel, which ends whatever the body left open (a key being
   * typed, still without its colon, would take the sentinel into it): for a window that did
   * not compose without it, and only ever inexact, since the comment is not in the text.
   */
  guarded?: boolean;
}

/** What a guarded window puts before its sentinel. */
const GUARD = '#\n';

/** The parts of a parsed window that the whole document is composed of (composer.ts). */
export interface WindowParts {
  doc: Document.Parsed;
  /** The document's top-level mapping. */
  contents: YAMLMap.Parsed;
  /** The frame's pair, whose value holds the body's pairs (child windows only). */
  framePair: Pair<ParsedNode, ParsedNode | null> | undefined;
  /** The mapping that holds the body's pairs: the frame's value, or `contents`. */
  holder: YAMLMap.Parsed;
  /** The body's pairs, in order. */
  pairs: Pair<ParsedNode, ParsedNode | null>[];
  /** The sentinel's key: what yaml attached to the line after the body (comments, a blank line). */
  sentinelKey: ParsedNode | undefined;
  /** Nodes in the window, as checkStructure counts them: more than the body's own. */
  nodes: number;
  data: WindowData;
  /**
   * yaml read the window without an error or warning and checkStructure found nothing: what it
   * made is what the whole parse makes there. When false (the entry being typed is not valid
   * YAML yet), the parts still serve the typing-time features, never the diagnostics.
   */
  exact: boolean;
  /** The copies last placed in a document (composer.ts), and where: a memo for the next. */
  placed?: { memo: string; nodes: PlacedNodes };
}

/** A window's nodes moved to where they are in one version of the text. */
export interface PlacedNodes {
  pairs: Pair<ParsedNode, ParsedNode | null>[];
  /** The parent's key, for the first child of a mapping. */
  frameKey?: ParsedNode;
}

export function windowSource(shape: WindowShape): string {
  if (shape.sentinel === undefined) return shape.frame + shape.body;
  const guard = shape.guarded ? GUARD : '';
  return `${shape.frame}${shape.body}${guard}${' '.repeat(shape.sentinel)}_:`;
}

/**
 * Parses a window and checks that yaml read it as the split assumed: one document, no anchor or
 * alias (they reach across entries), the frame's key and the body's keys where the lines said,
 * and the sentinel as a key of its own; undefined when any of it fails, and the document is
 * parsed whole. A window with a YAML error or warning, or with what checkStructure reports (a
 * duplicate or collection key), is not `exact`: exact parses use the whole parse instead, which
 * reports it exactly as it would have been.
 */
export function parseWindow(shape: WindowShape, source: string): WindowParts | undefined {
  const docs = parseAllDocuments(source, YAML_OPTIONS);
  if ('empty' in docs || docs.length !== 1) return undefined;
  const doc = docs[0]!;
  const contents = doc.contents;
  if (!isBlockMap(contents) || hasAnchors(contents)) return undefined;
  let problems = doc.errors.length + doc.warnings.length;
  const { nodes } = checkStructure(doc, () => (problems += 1));
  const guard = shape.guarded ? GUARD.length : 0;
  const sentinelAt = shape.frame.length + shape.body.length + guard + (shape.sentinel ?? 0);
  const top = [...contents.items];
  let framePair: WindowParts['framePair'];
  let holder = contents;
  let sentinelKey: ParsedNode | undefined;
  if (shape.frame.length > 0) {
    framePair = top.shift();
    if (!framePair || keyOffset(framePair) !== shape.frameKeyAt) return undefined;
    if (!isBlockMap(framePair.value)) return undefined;
    holder = framePair.value;
    // After the last entry of a mapping comes the next top-level key.
    if (shape.sentinel === 0) sentinelKey = takeSentinel(top, sentinelAt);
    if (top.length > 0) return undefined;
  }
  const pairs = [...holder.items];
  if (shape.sentinel !== undefined && sentinelKey === undefined)
    sentinelKey = takeSentinel(pairs, sentinelAt);
  if (shape.sentinel !== undefined && sentinelKey === undefined) return undefined;
  const first = pairs[0];
  if (!first || keyOffset(first) !== shape.bodyKeyAt) return undefined;
  const data = windowData(doc, pairs, framePair !== undefined);
  if (!data) return undefined;
  const exact = problems === 0 && !shape.guarded;
  return { doc, contents, framePair, holder, pairs, sentinelKey, nodes, data, exact };
}

/** Removes and returns the sentinel's key when it is the last pair, a key at `at` with no value. */
function takeSentinel(
  pairs: Pair<ParsedNode, ParsedNode | null>[],
  at: number,
): ParsedNode | undefined {
  const last = pairs.at(-1);
  if (!last || keyOffset(last) !== at || !isScalar(last.key) || last.key.value !== '_')
    return undefined;
  if (last.value !== null && !(isScalar(last.value) && last.value.value === null)) return undefined;
  pairs.pop();
  return last.key;
}

function keyOffset(pair: Pair<ParsedNode, ParsedNode | null>): number {
  return isScalar(pair.key) ? (pair.key.range[0] ?? -1) : -1;
}

function isBlockMap(node: unknown): node is YAMLMap.Parsed {
  return isMap(node) && !node.flow;
}

/** True when a node or anything in it is an alias or carries an anchor. */
function hasAnchors(node: Node | null): boolean {
  if (node === null) return false;
  if (isAlias(node) || node.anchor !== undefined) return true;
  if (isMap(node))
    return node.items.some(
      (pair) => hasAnchors(pair.key as Node | null) || hasAnchors(pair.value as Node | null),
    );
  if (isSeq(node)) return node.items.some((item) => hasAnchors(item as Node | null));
  return false;
}
