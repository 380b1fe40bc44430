import type { Location, Position } from 'vscode-languageserver';
import type { DocumentAnalysis } from './analysis';
import type { NameSite } from './name-index';
import { nameSites, sameName, siteAt } from './name-index';

/**
 * Go to definition and find references for source and target names: a name in
 * `targets.<t>.sources` leads to the source's key, and a source's key to every target that
 * lists it.
 */
export function definitionAt(analysis: DocumentAnalysis, position: Position): Location[] {
  const found = siteUnder(analysis, position);
  if (!found) return [];
  return sameName(found.sites, found.site)
    .filter((site) => site.role === 'declaration')
    .map((site) => locationOf(analysis, site));
}

export function referencesAt(
  analysis: DocumentAnalysis,
  position: Position,
  includeDeclaration: boolean,
): Location[] {
  const found = siteUnder(analysis, position);
  if (!found) return [];
  return sameName(found.sites, found.site)
    .filter((site) => includeDeclaration || site.role === 'reference')
    .map((site) => locationOf(analysis, site));
}

export function siteUnder(
  analysis: DocumentAnalysis,
  position: Position,
): { site: NameSite; sites: NameSite[] } | undefined {
  const { structure: parsed } = analysis;
  const sites = nameSites(parsed.doc);
  const site = siteAt(sites, parsed.positions.offsetAt(position));
  return site ? { site, sites } : undefined;
}

export function locationOf(analysis: DocumentAnalysis, site: NameSite): Location {
  return {
    uri: analysis.uri,
    range: analysis.structure.positions.rangeOf(site.start, site.end),
  };
}
