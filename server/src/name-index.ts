import { isMap, isScalar, isSeq } from 'yaml';
import type { Document, Scalar } from 'yaml';
import type { SpecPath } from 'backup-runner/spec';

/** Where a source or target name is written: as its key, or in a target's `sources` list. */
export interface NameSite {
  kind: 'source' | 'target';
  name: string;
  role: 'declaration' | 'reference';
  /** Offsets of the name itself, inside its quotes if it has any. */
  start: number;
  end: number;
  quoted: boolean;
}

/** `targets.<t>.sources[i]` names a source: today the one place a spec refers to a name. */
export function isSourceReference(path: SpecPath): boolean {
  return (
    path.length === 4 &&
    path[0] === 'targets' &&
    path[2] === 'sources' &&
    typeof path[3] === 'number'
  );
}

/**
 * Every source and target name in the document, from its YAML nodes (what is reached only
 * through an alias is not written there, so it is not a place to rename).
 */
export function nameSites(doc: Document | undefined): NameSite[] {
  const sites: NameSite[] = [];
  const root = doc?.contents;
  if (!isMap(root)) return sites;
  for (const section of root.items) {
    if (!isScalar(section.key) || !isMap(section.value)) continue;
    const kind =
      section.key.value === 'sources'
        ? 'source'
        : section.key.value === 'targets'
          ? 'target'
          : undefined;
    if (!kind) continue;
    for (const entry of section.value.items) {
      if (!isScalar(entry.key)) continue;
      const declaration = siteOf(entry.key, kind, 'declaration');
      if (declaration) sites.push(declaration);
      if (kind !== 'target' || !isMap(entry.value)) continue;
      const list = entry.value.items.find(
        (pair) => isScalar(pair.key) && pair.key.value === 'sources',
      );
      if (!list || !isSeq(list.value)) continue;
      for (const item of list.value.items) {
        const reference = isScalar(item) ? siteOf(item, 'source', 'reference') : undefined;
        if (reference) sites.push(reference);
      }
    }
  }
  return sites;
}

function siteOf(
  node: Scalar,
  kind: NameSite['kind'],
  role: NameSite['role'],
): NameSite | undefined {
  if (typeof node.value !== 'string' && typeof node.value !== 'number') return undefined;
  const range = node.range;
  if (!range) return undefined;
  const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE';
  return {
    kind,
    name: String(node.value),
    role,
    start: quoted ? range[0] + 1 : range[0],
    end: quoted ? range[1] - 1 : range[1],
    quoted,
  };
}

/** The site under an offset; the end of a name counts, where the cursor is after typing it. */
export function siteAt(sites: NameSite[], offset: number): NameSite | undefined {
  return sites.find((site) => site.start <= offset && offset <= site.end);
}

/** The declaration and references of the same name as `site`. */
export function sameName(sites: NameSite[], site: NameSite): NameSite[] {
  return sites.filter((other) => other.kind === site.kind && other.name === site.name);
}
