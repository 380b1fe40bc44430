import { isScalar } from 'yaml';
import type { Document, Pair, ParsedNode } from 'yaml';
import { documentData } from '../yaml-parse';

/** A window's data: its body's entries as toJS made them, and the frame's key as a data key. */
export interface WindowData {
  entries: [string, unknown][];
  /** The parent's key, for a child window. */
  frameKey?: string;
}

/**
 * The data of a window's body, from yaml's own toJS of the window: the document's data is then
 * these entries put together (DataComposer), with no toJS of unchanged entries. Their values are
 * shared by the versions that contain the entry, as the nodes are: nothing may change them.
 * undefined for a merge key among the entries (`<<` merges into its whole mapping, across
 * windows) or a key named like the sentinel, which could not be told apart.
 */
export function windowData(
  doc: Document.Parsed,
  pairs: Pair<ParsedNode, ParsedNode | null>[],
  isChild: boolean,
): WindowData | undefined {
  if (pairs.some((pair) => isMergeKey(pair.key))) return undefined;
  let all: unknown;
  try {
    all = documentData(doc);
  } catch {
    // A document with errors may hold what toJS refuses; such a window is not composed.
    return undefined;
  }
  if (!isRecord(all)) return undefined;
  let holder = all;
  let frameKey: string | undefined;
  if (isChild) {
    frameKey = Object.keys(all).find((key) => key !== '_');
    const value = frameKey === undefined ? undefined : all[frameKey];
    if (!isRecord(value)) return undefined;
    holder = value;
  }
  const entries = Object.entries(holder).filter(([key]) => key !== '_');
  // One entry per pair: a body key `_` would have been taken for the sentinel.
  if (entries.length !== pairs.length) return undefined;
  return frameKey === undefined ? { entries } : { entries, frameKey };
}

/**
 * Sets a key of composed data the way yaml's addPairToJSMap does: a name the object already
 * has (`toString`, `__proto__`...) becomes an own property instead of calling a setter.
 */
export function putEntry(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key in target)
    Object.defineProperty(target, key, {
      value,
      writable: true,
      enumerable: true,
      configurable: true,
    });
  else target[key] = value;
}

function isMergeKey(key: ParsedNode): boolean {
  if ((key as { addToJSMap?: unknown }).addToJSMap !== undefined) return true;
  return isScalar(key) && (key.value === '<<' || typeof key.value === 'symbol');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
