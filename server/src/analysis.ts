import type { ParsedYaml, SpecParse, SpecValidation } from '../../runner/src/spec/index';
import { parseSpec, ReusingParser, validateParsed } from '../../runner/src/spec/index';
import { YamlLines } from './yaml-lines';

/**
 * What the language features know about one version of a document. Each part is computed on
 * first use and kept: completion reads only the lines (cheap, works on broken YAML); hover,
 * outline, folding and navigation read the parsed YAML, and never wait for the schema and
 * semantic checks, which only the published diagnostics and the quick fixes need. The
 * validation is of that same parse, so it is exactly validateSpec's.
 */
export class DocumentAnalysis {
  private cachedLines: YamlLines | undefined;
  private cachedParsed: ParsedYaml | undefined;
  private cachedValidation: SpecValidation | undefined;

  constructor(
    readonly text: string,
    readonly uri = 'untitled:backup.yaml',
    readonly version = 0,
    /** How the text is parsed: a whole parse, or the previous version's parser reused. */
    private readonly parse?: SpecParse,
  ) {}

  get lines(): YamlLines {
    this.cachedLines ??= new YamlLines(this.text);
    return this.cachedLines;
  }

  get parsed(): ParsedYaml {
    this.cachedParsed ??= parseSpec(this.text, this.parse);
    return this.cachedParsed;
  }

  /** Whether the schema and semantic checks have run on this version (they run on first use). */
  get validated(): boolean {
    return this.cachedValidation !== undefined;
  }

  get validation(): SpecValidation {
    this.cachedValidation ??= validateParsed(this.parsed);
    return this.cachedValidation;
  }
}

/**
 * One analysis per open document, replaced when its version changes. Each document keeps a
 * ReusingParser, so a new version re-reads only the entries the edit touched.
 */
export class AnalysisCache {
  private readonly entries = new Map<
    string,
    { analysis: DocumentAnalysis; parser: ReusingParser }
  >();

  constructor(private readonly newParser = () => new ReusingParser()) {}

  get(uri: string, version: number, text: () => string): DocumentAnalysis {
    const cached = this.entries.get(uri);
    if (cached && cached.analysis.version === version) return cached.analysis;
    const parser = cached?.parser ?? this.newParser();
    const analysis = new DocumentAnalysis(text(), uri, version, (t) => parser.parse(t));
    this.entries.set(uri, { analysis, parser });
    return analysis;
  }

  delete(uri: string): void {
    this.entries.delete(uri);
  }
}
