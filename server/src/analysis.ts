import type { ParsedYaml, SpecValidation } from 'backup-runner/spec';
import { parseSpec, ReusingParser, validateParsed } from 'backup-runner/spec';
import { YamlLines } from './yaml-lines';

/**
 * What the language features know about one version of a document. Each part is computed on
 * first use and kept:
 * - the lines: completion reads only those (cheap, works on broken YAML);
 * - the structure: hover, outline, folding and navigation read it. With a parser of the
 *   document's versions, it re-reads only the entries an edit touched, and an entry that is not
 *   valid YAML yet does not make the rest wait for a whole parse;
 * - the parse and its validation: exactly validateSpec's, for the published diagnostics and the
 *   quick fixes. Nothing typed waits for them.
 */
export class DocumentAnalysis {
  private cachedLines: YamlLines | undefined;
  private cachedStructure: ParsedYaml | undefined;
  private cachedParsed: ParsedYaml | undefined;
  private cachedValidation: SpecValidation | undefined;

  constructor(
    readonly text: string,
    readonly uri = 'untitled:backup.yaml',
    readonly version = 0,
    /** The parser of this document's versions; without one, each version is parsed whole. */
    private readonly parser?: ReusingParser,
  ) {}

  get lines(): YamlLines {
    this.cachedLines ??= new YamlLines(this.text);
    return this.cachedLines;
  }

  get structure(): ParsedYaml {
    // The exact parse, once made, is the structure too.
    if (this.cachedParsed) return this.cachedParsed;
    if (this.cachedStructure) return this.cachedStructure;
    const read = this.readStructure();
    this.cachedStructure = read.parsed;
    if (read.exact) this.cachedParsed ??= read.parsed;
    return read.parsed;
  }

  get parsed(): ParsedYaml {
    const parser = this.parser;
    this.cachedParsed ??= parseSpec(this.text, parser && ((text) => parser.parse(text)));
    return this.cachedParsed;
  }

  /** Whether the exact parse has been made (the structure may have been enough so far). */
  get parsedExactly(): boolean {
    return this.cachedParsed !== undefined;
  }

  /** Whether the schema and semantic checks have run on this version (they run on first use). */
  get validated(): boolean {
    return this.cachedValidation !== undefined;
  }

  get validation(): SpecValidation {
    this.cachedValidation ??= validateParsed(this.parsed);
    return this.cachedValidation;
  }

  private readStructure(): { parsed: ParsedYaml; exact: boolean } {
    if (!this.parser) return { parsed: this.parsed, exact: true };
    try {
      return this.parser.structure(this.text);
    } catch {
      // The structure is an optimisation: any failure falls back to the exact parse.
      return { parsed: this.parsed, exact: true };
    }
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
    const analysis = new DocumentAnalysis(text(), uri, version, parser);
    this.entries.set(uri, { analysis, parser });
    return analysis;
  }

  delete(uri: string): void {
    this.entries.delete(uri);
  }
}
