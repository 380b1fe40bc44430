import { isAlias, isMap, isScalar, isSeq, parseAllDocuments, visit } from 'yaml';
import type { Alias, Document, EmptyStream, Node, YAMLError, YAMLMap } from 'yaml';
import type { DiagnosticCode } from './codes';
import { severityOf } from './codes';
import type { Diagnostic } from './diagnostic';
import { TextPositions } from './positions';

/**
 * A backup.yaml is a few kilobytes. Above this the parser's cost (seconds per 10 MB) would stall an
 * editor, so larger input gets one clear error instead of a parse.
 */
export const MAX_SPEC_LENGTH = 2 * 1024 * 1024;

/**
 * A real spec has a few hundred values. ajv's error collection grows superlinearly past ~10k
 * failing entries (5 s for 40k), so documents beyond this are refused before validation.
 */
export const MAX_SPEC_NODES = 20_000;

/** yaml's own guard against alias bombs: expanded alias nodes per document. */
const MAX_ALIAS_COUNT = 100;

export interface ParsedYaml {
  text: string;
  positions: TextPositions;
  /** The single YAML document, when there is one. */
  doc: Document.Parsed | undefined;
  /** The document as plain data, or undefined when it could not be built safely. */
  value: unknown;
  diagnostics: Diagnostic[];
}

/**
 * The parser's options, shared with the parse reuse (parse-reuse/), whose pieces must be read
 * exactly as a whole document is. uniqueKeys: false because yaml's own duplicate check is
 * quadratic in the size of a mapping (minutes for 300k keys); duplicates are found below in
 * linear time instead.
 */
export const YAML_OPTIONS = {
  merge: true,
  uniqueKeys: false,
  prettyErrors: false,
  // yaml would print its own warnings on the process's stderr; ours are diagnostics.
  logLevel: 'error',
} as const;

/** What yaml's parseAllDocuments returns: the documents, or an empty stream with its errors. */
export type YamlDocuments = Document.Parsed[] | EmptyStream;

export function parseYaml(text: string): ParsedYaml {
  if (text.length > MAX_SPEC_LENGTH) return tooLarge(text);
  return readDocuments(text, parseAllDocuments(text, YAML_OPTIONS));
}

/** The diagnostics of a text longer than MAX_SPEC_LENGTH, which is not parsed at all. */
export function tooLarge(text: string): ParsedYaml {
  const positions = new TextPositions(text);
  const diagnostics: Diagnostic[] = [
    {
      severity: severityOf('too-large'),
      code: 'too-large',
      message: `the file has ${text.length} characters; a backup.yaml may have at most ${MAX_SPEC_LENGTH}`,
      range: positions.rangeOf(0, 0),
    },
  ];
  return { text, positions, doc: undefined, value: undefined, diagnostics };
}

/**
 * Checks the parsed documents of `text` (one document, duplicate keys, aliases, size) and turns
 * the document into data. `docs` come from parseAllDocuments(text, YAML_OPTIONS), or from the
 * parse reuse, which builds the same document from pieces.
 */
export function readDocuments(text: string, docs: YamlDocuments): ParsedYaml {
  const positions = new TextPositions(text);
  const diagnostics: Diagnostic[] = [];
  const report = (code: DiagnosticCode, message: string, start: number, end: number) =>
    diagnostics.push({
      severity: severityOf(code),
      code,
      message,
      range: positions.rangeOf(start, end),
    });

  const all = [...docs];
  const doc = all[0];
  for (const extra of all.slice(1)) {
    const at = extra.range[0];
    report(
      'multiple-documents',
      'a backup.yaml holds one YAML document; remove this "---" and what follows, or move it to its own file',
      at,
      at + 3,
    );
  }
  if (!doc || doc.contents === null) {
    // An empty stream carries its own errors (a stray "..." for instance).
    const streamErrors = 'empty' in docs ? docs.errors : (doc?.errors ?? []);
    for (const error of streamErrors) reportYamlError(error, report);
    if (streamErrors.length === 0)
      report(
        'empty-spec',
        'the file is empty: a backup.yaml needs at least "version", "sources" and "staging"',
        0,
        0,
      );
    return { text, positions, doc, value: undefined, diagnostics };
  }

  const value = readDocument(doc, report);
  return { text, positions, doc, value, diagnostics };
}

export type Report = (code: DiagnosticCode, message: string, start: number, end: number) => void;

/** Reports the document's problems; its data, unless its structure makes data unsafe. */
function readDocument(doc: Document.Parsed, report: Report): unknown {
  for (const error of doc.errors) reportYamlError(error, report);
  for (const warning of doc.warnings)
    report('yaml-warning', firstLine(warning.message), warning.pos[0], warning.pos[1]);
  if (checkStructure(doc, report).fatal) return undefined;
  try {
    return documentData(doc);
  } catch (error) {
    const alias = firstAlias(doc);
    const [start, end] = alias?.range ?? [0, 0];
    const message = error instanceof Error ? error.message : String(error);
    if (/alias count/i.test(message)) {
      report(
        'alias-limit',
        `aliases expand to more than ${MAX_ALIAS_COUNT} nodes; write the data out instead of nesting aliases`,
        start,
        end,
      );
    } else {
      report('yaml-syntax', `the YAML could not be read: ${firstLine(message)}`, start, end);
    }
    return undefined;
  }
}

function reportYamlError(error: YAMLError, report: Report): void {
  const [start, end] = error.pos;
  const message = firstLine(error.message);
  switch (error.code) {
    case 'TAB_AS_INDENT':
      report(
        'tab-indent',
        'tabs are not allowed as indentation in YAML; indent with spaces',
        start,
        end,
      );
      break;
    case 'RESOURCE_EXHAUSTION':
      report('too-deep', `the YAML is nested too deeply: ${message}`, start, end);
      break;
    default:
      report('yaml-syntax', message, start, end);
  }
}

/** The document as plain data; throws when aliases expand beyond MAX_ALIAS_COUNT. */
export function documentData(doc: Document.Parsed): unknown {
  return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
}

export interface StructureCheck {
  /** The document must not be turned into data (a recursive alias would make it infinite). */
  fatal: boolean;
  /** Nodes visited, counting empty keys and values (at most MAX_SPEC_NODES + 1). */
  nodes: number;
}

/** Duplicate keys, collection keys, aliases that are unresolved or contain themselves, size. */
export function checkStructure(doc: Document.Parsed, report: Report): StructureCheck {
  let fatal = false;
  let nodes = 0;
  const ancestors: Node[] = [];
  // A direct walk: yaml's generic visitor costs a few percent of a whole validation here.
  const walk = (node: unknown): boolean => {
    if (++nodes > MAX_SPEC_NODES) {
      report(
        'too-large',
        `the spec has more than ${MAX_SPEC_NODES} values; a backup.yaml is far smaller`,
        0,
        0,
      );
      fatal = true;
      return true;
    }
    if (isAlias(node)) {
      fatal = checkAlias(doc, node, ancestors, report) || fatal;
      return false;
    }
    if (isMap(node)) {
      reportDuplicateKeys(node, report);
      fatal = reportCollectionKeys(doc, node, report) || fatal;
      ancestors.push(node);
      for (const pair of node.items) if (walk(pair.key) || walk(pair.value)) return true;
      ancestors.pop();
    } else if (isSeq(node)) {
      ancestors.push(node);
      for (const item of node.items) if (walk(item)) return true;
      ancestors.pop();
    }
    return false;
  };
  walk(doc.contents);
  return { fatal, nodes };
}

export function reportDuplicateKeys(map: YAMLMap, report: Report): void {
  const seen = new Set<string>();
  for (const pair of map.items) {
    if (!isScalar(pair.key)) continue;
    const key = String(pair.key.value);
    if (key === '<<') continue;
    if (seen.has(key)) {
      const [start, end] = pair.key.range ?? [0, 0];
      report(
        'duplicate-key',
        `duplicate key "${key}": YAML keeps only one of them; remove or rename this one`,
        start,
        end,
      );
    }
    seen.add(key);
  }
}

/**
 * A list or mapping used as a key has no name a spec path could use; data made from it would
 * carry a stringified key whose diagnostics could not point back at the node.
 */
function reportCollectionKeys(doc: Document.Parsed, map: YAMLMap, report: Report): boolean {
  let found = false;
  for (const pair of map.items) {
    const node = pair.key;
    const key = isAlias(node) ? node.resolve(doc) : node;
    if (!isMap(key) && !isSeq(key)) continue;
    const [start, end] = (isAlias(node) ? node.range : key.range) ?? [0, 0];
    report(
      'collection-key',
      'a key must be a plain name, not a list or mapping; quote it if the brackets are meant literally',
      start,
      end,
    );
    found = true;
  }
  return found;
}

/** Reports an alias without an anchor or inside what it names; true when the data is unusable. */
function checkAlias(
  doc: Document.Parsed,
  alias: Alias,
  ancestors: Node[],
  report: Report,
): boolean {
  const target = alias.resolve(doc);
  const [start, end] = alias.range ?? [0, 0];
  if (!target) {
    report(
      'unresolved-alias',
      `alias *${alias.source} refers to no anchor &${alias.source} defined before it`,
      start,
      end,
    );
    return true;
  }
  if (ancestors.includes(target as Node)) {
    report('recursive-alias', `alias *${alias.source} is inside the node it refers to`, start, end);
    return true;
  }
  return false;
}

function firstAlias(doc: Document.Parsed): Alias | undefined {
  let found: Alias | undefined;
  visit(doc, (_key, node) => {
    if (isAlias(node)) {
      found = node;
      return visit.BREAK;
    }
    return undefined;
  });
  return found;
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
