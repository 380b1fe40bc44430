import type { SpecValidation } from '../../runner/src/spec/index';
import { validateSpec } from '../../runner/src/spec/index';
import { YamlLines } from './yaml-lines';

/**
 * What the language features know about one version of a document. Each part is computed on
 * first use and kept: completion reads only the lines (cheap, works on broken YAML); hover,
 * outline, navigation and quick fixes share one validation with the published diagnostics.
 */
export class DocumentAnalysis {
  private cachedLines: YamlLines | undefined;
  private cachedValidation: SpecValidation | undefined;

  constructor(
    readonly text: string,
    readonly uri = 'untitled:backup.yaml',
    readonly version = 0,
  ) {}

  get lines(): YamlLines {
    this.cachedLines ??= new YamlLines(this.text);
    return this.cachedLines;
  }

  get validation(): SpecValidation {
    this.cachedValidation ??= validateSpec(this.text);
    return this.cachedValidation;
  }
}

/** One analysis per open document, replaced when its version changes. */
export class AnalysisCache {
  private readonly entries = new Map<string, DocumentAnalysis>();

  get(uri: string, version: number, text: () => string): DocumentAnalysis {
    const cached = this.entries.get(uri);
    if (cached && cached.version === version) return cached;
    const analysis = new DocumentAnalysis(text(), uri, version);
    this.entries.set(uri, analysis);
    return analysis;
  }

  delete(uri: string): void {
    this.entries.delete(uri);
  }
}
