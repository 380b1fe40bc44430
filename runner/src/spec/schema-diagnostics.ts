import type { ErrorObject } from 'ajv';
import type { DiagnosticCode } from './codes';
import type { SpecPath } from './diagnostic';
import {
  actualTypeName,
  describeContainer,
  dottedPath,
  expectedTypeName,
  plural,
  rawValueAt,
} from './describe';
import type { DiagnosticReporter } from './reporter';
import type { JsonSchema } from './schema';
import { backupSchema, schemaErrors, sourceTypeDefinitions } from './schema';
import { quotedList, suggest } from './suggest';

/** Validates `value` against the schema and reports each problem once, where it is. */
export function reportSchemaProblems(value: unknown, reporter: DiagnosticReporter): void {
  const errors = dropShadowed(collapseComposites(schemaErrors(value)));
  const missing = new Map<string, { path: SpecPath; keys: string[] }>();
  const before = reporter.diagnostics.length;
  for (const error of errors) {
    const path = toSpecPath(error.instancePath, value);
    if (error.keyword === 'required') {
      const key = JSON.stringify(path);
      const entry = missing.get(key) ?? { path, keys: [] };
      entry.keys.push(String(error.params['missingProperty']));
      missing.set(key, entry);
      continue;
    }
    reportOne(error, path, value, reporter);
  }
  // `pth:` where `path:` is required is one mistake: the did-you-mean on pth says it all.
  const typoed = new Set(
    reporter.diagnostics
      .slice(before)
      .flatMap((d) =>
        d.data?.kind === 'unknown-key'
          ? d.data.suggestions.map((s) => `${JSON.stringify(d.data?.path.slice(0, -1))}|${s}`)
          : [],
      ),
  );
  for (const { path, keys: all } of missing.values()) {
    const keys = all.filter((key) => !typoed.has(`${JSON.stringify(path)}|${key}`));
    if (keys.length === 0) continue;
    const what =
      keys.length === 1
        ? `the required key ${quotedList(keys)}`
        : `the required keys ${quotedList(keys, 'and')}`;
    reporter.atKey(path, 'missing-key', `${describeContainer(path, value)} is missing ${what}`, {
      kind: 'missing-key',
      path,
      keys,
    });
  }
}

function reportOne(
  error: ErrorObject,
  path: SpecPath,
  root: unknown,
  reporter: DiagnosticReporter,
): void {
  const where = dottedPath(path);
  const data = rawValueAt(root, path);
  const parent = (error.parentSchema ?? {}) as JsonSchema;
  const propertyName = (error as ErrorObject & { propertyName?: string }).propertyName;
  if (propertyName !== undefined) {
    reportBadName([...path, propertyName], propertyName, path, reporter);
    return;
  }
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(error.params['additionalProperty']);
      reportUnknownKey([...path, key], key, path, parent, root, reporter);
      return;
    }
    case 'type': {
      const expected = String(error.params['type']).split(',').map(expectedTypeName);
      const subject = path.length === 0 ? 'a backup.yaml' : where;
      const hint = argvHint(data, expected);
      reporter.atValue(
        path,
        'wrong-type',
        `${subject} must be ${expected.join(' or ')}, not ${actualTypeName(data)}${hint}`,
      );
      return;
    }
    case 'enum':
    case 'const': {
      const allowed = (
        error.keyword === 'enum' ? error.params['allowedValues'] : [error.params['allowedValue']]
      ) as (string | number | boolean)[];
      const guesses = typeof data === 'string' ? suggest(data, allowed.map(String)) : [];
      const hint = guesses.length > 0 ? `; did you mean ${quotedList(guesses)}?` : '';
      const subject =
        allowed.length === 1
          ? `must be ${quotedList(allowed)}`
          : `must be one of ${quotedList(allowed)}`;
      reporter.atValue(
        path,
        'invalid-value',
        `${where} ${subject}, not ${JSON.stringify(data)}${hint}`,
        {
          kind: 'invalid-value',
          path,
          allowed,
        },
      );
      return;
    }
    case 'pattern': {
      const code: DiagnosticCode =
        parent.pattern === absolutePathPattern() ? 'relative-path' : 'invalid-format';
      const explanation =
        parent.patternErrorMessage ?? `must match ${String(error.params['pattern'])}`;
      reporter.atValue(path, code, `${where} ${explanation}, not ${JSON.stringify(data)}`);
      return;
    }
    case 'minLength':
      reporter.atValue(path, 'out-of-range', `${where} must not be empty`);
      return;
    case 'minItems':
      reporter.atValue(
        path,
        'out-of-range',
        `${where} needs at least ${plural(Number(error.params['limit']), 'item')}`,
      );
      return;
    case 'minProperties':
    case 'maxProperties':
      reportPropertyCount(error, path, parent, reporter);
      return;
    case 'minimum':
    case 'maximum':
      reporter.atValue(
        path,
        'out-of-range',
        `${where} must be ${error.keyword === 'minimum' ? 'at least' : 'at most'} ${String(error.params['limit'])}, not ${JSON.stringify(data)}`,
      );
      return;
    case 'uniqueItems': {
      const index = Math.max(Number(error.params['i']), Number(error.params['j']));
      const item = rawValueAt(root, [...path, index]);
      reporter.atValue(
        [...path, index],
        'duplicate-item',
        `${JSON.stringify(item)} appears more than once in ${where}`,
      );
      return;
    }
    default:
      reporter.atValue(path, 'invalid-value', `${where} ${error.message ?? 'is not valid'}`);
  }
}

function reportUnknownKey(
  path: SpecPath,
  key: string,
  parentPath: SpecPath,
  parent: JsonSchema,
  root: unknown,
  reporter: DiagnosticReporter,
): void {
  const present = Object.keys(
    (rawValueAt(root, parentPath) as Record<string, unknown> | undefined) ?? {},
  );
  const valid = Object.keys(parent.properties ?? {});
  const suggestions = suggest(
    key,
    valid.filter((candidate) => !present.includes(candidate)),
  );
  const container = describeContainer(parentPath, root);
  let message = `unknown key "${key}" in ${container}`;
  const owner =
    parentPath[0] === 'sources' && parentPath.length === 2 ? otherSourceTypeWith(key) : undefined;
  if (suggestions.length > 0) message += `; did you mean ${quotedList(suggestions)}?`;
  else if (owner) message += `; "${key}" belongs to ${owner} sources`;
  else if (parentPath.length === 0)
    message += `; valid keys are ${valid.join(', ')} (and x-* for your own anchors)`;
  else if (valid.length > 0) message += `; valid keys are ${valid.join(', ')}`;
  reporter.atKey(path, 'unknown-key', message, { kind: 'unknown-key', path, key, suggestions });
}

function reportBadName(
  path: SpecPath,
  name: string,
  parentPath: SpecPath,
  reporter: DiagnosticReporter,
): void {
  const parentKey = parentPath.at(-1);
  if (parentKey === 'sources' || parentKey === 'targets') {
    const kind = parentKey === 'sources' ? 'source' : 'target';
    reporter.atKey(
      path,
      'invalid-name',
      `${kind} name "${name}" may only use letters, digits, "_", "." and "-", must start with a letter or digit and be at most 64 characters: it names a directory and a restic tag`,
    );
  } else {
    reporter.atKey(
      path,
      'invalid-name',
      `"${name}" is not a valid environment variable name (letters, digits and "_", not starting with a digit)`,
    );
  }
}

function reportPropertyCount(
  error: ErrorObject,
  path: SpecPath,
  parent: JsonSchema,
  reporter: DiagnosticReporter,
): void {
  const where = dottedPath(path);
  const keys = Object.keys(parent.properties ?? {});
  if (error.keyword === 'maxProperties') {
    reporter.atValue(path, 'conflicting-keys', `${where} takes exactly one of ${quotedList(keys)}`);
  } else if (keys.length > 0) {
    reporter.atValue(path, 'out-of-range', `${where} needs one of ${quotedList(keys)}`);
  } else {
    const noun = path.at(-1) === 'sources' ? 'source' : 'entry';
    reporter.atValue(path, 'out-of-range', `${where} needs at least one ${noun}`);
  }
}

/** Hooks run without a shell; a string where a list belongs is the most common mistake. */
function argvHint(data: unknown, expected: string[]): string {
  if (typeof data !== 'string' || !expected.includes('a list')) return '';
  const words = data.trim().split(/\s+/).filter(Boolean);
  return `; commands run without a shell, so write the arguments as a list: ${JSON.stringify(words)}`;
}

function otherSourceTypeWith(key: string): string | undefined {
  const types = sourceTypeDefinitions()
    .filter(({ schema }) => schema.properties?.[key])
    .map(({ type }) => type);
  return types.length > 0 ? types.join(' and ') : undefined;
}

function absolutePathPattern(): string | undefined {
  return backupSchema.definitions?.['absolutePath']?.pattern;
}

/**
 * ajv reports every failing branch of an anyOf/oneOf. In backup.schema.json the branches of each
 * anyOf have distinct types (a test enforces it), so the relevant branch is the one whose type
 * matched: keep its errors and drop the others. When no branch matched, one type error remains.
 * A composite's error comes right after its branches' errors, which lie at or below its path.
 */
function collapseComposites(errors: ErrorObject[]): ErrorObject[] {
  const out: ErrorObject[] = [];
  for (const error of errors) {
    if (error.keyword === 'discriminator' || error.keyword === 'propertyNames') continue;
    if (error.keyword !== 'anyOf' && error.keyword !== 'oneOf') {
      out.push(error);
      continue;
    }
    const at = error.instancePath;
    let first = out.length;
    while (first > 0 && isWithin(out[first - 1]?.instancePath ?? '', at)) first--;
    const group = out.splice(first);
    const isRootType = (e: ErrorObject) => e.instancePath === at && e.keyword === 'type';
    const matched = group.filter((e) => !isRootType(e));
    if (matched.length > 0) {
      out.push(...matched);
    } else {
      const types = group.flatMap((e) => String(e.params['type']).split(','));
      out.push({ ...error, keyword: 'type', params: { type: [...new Set(types)].join(',') } });
    }
  }
  return out;
}

/** Where a value has the wrong type, complaints about its content are noise. */
function dropShadowed(errors: ErrorObject[]): ErrorObject[] {
  const wrongType = new Set(errors.filter((e) => e.keyword === 'type').map((e) => e.instancePath));
  return errors.filter(
    (e) => e.keyword === 'type' || !wrongType.has(e.instancePath) || e.keyword === 'required',
  );
}

function isWithin(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(`${prefix}/`);
}

/** ajv's JSON pointer → path segments, with list indexes as numbers. */
function toSpecPath(pointer: string, root: unknown): SpecPath {
  if (pointer === '') return [];
  const path: (string | number)[] = [];
  let current: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const key: string | number = Array.isArray(current) ? Number(segment) : segment;
    path.push(key);
    current =
      typeof current === 'object' && current !== null
        ? (current as Record<string | number, unknown>)[key]
        : undefined;
  }
  return path;
}
