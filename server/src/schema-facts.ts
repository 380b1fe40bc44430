import type { JsonSchema } from 'backup-runner/spec';
import { resolveRef } from 'backup-runner/spec';

/**
 * Questions the language features ask of the schemas that apply at a path (see schemasAt): the
 * first schema is the most specific, the others are alternatives.
 */

export type ScalarValue = string | number | boolean;

/** A value a YAML scalar can hold (not null, a list or a map). */
export function isScalarValue(value: unknown): value is ScalarValue {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

export interface AllowedValue {
  value: ScalarValue;
  /** The value's own documentation (`markdownEnumDescriptions`, or a `const`'s description). */
  markdown?: string;
  isDefault: boolean;
}

function isMappingSchema(schema: JsonSchema): boolean {
  return (
    schema.type === 'object' ||
    schema.properties !== undefined ||
    typeof schema.additionalProperties === 'object'
  );
}

export function acceptsMapping(schemas: JsonSchema[]): boolean {
  return schemas.some(isMappingSchema);
}

export function acceptsList(schemas: JsonSchema[]): boolean {
  return schemas.some((schema) => schema.type === 'array' || schema.items !== undefined);
}

export function acceptsScalar(schemas: JsonSchema[]): boolean {
  return schemas.some(
    (schema) =>
      schema.enum !== undefined ||
      schema.const !== undefined ||
      typesOf(schema).some((type) => ['string', 'integer', 'number', 'boolean'].includes(type)),
  );
}

/** The keys the mappings among `schemas` define, in schema order, without duplicates. */
export function propertyKeys(schemas: JsonSchema[]): string[] {
  const keys = new Set<string>();
  for (const schema of schemas)
    for (const key of Object.keys(schema.properties ?? {})) keys.add(key);
  return [...keys];
}

/** Required keys of the most specific mapping (a sqlite source's, not every kind's). */
export function requiredKeys(schemas: JsonSchema[]): string[] {
  return schemas.find((schema) => schema.required !== undefined)?.required ?? [];
}

/** Named entries such as `sources` or `targets`: any key, each with the same schema. */
export function namedEntrySchema(schemas: JsonSchema[]): JsonSchema | undefined {
  for (const schema of schemas) {
    if (typeof schema.additionalProperties === 'object' && !schema.properties)
      return schema.additionalProperties;
  }
  return undefined;
}

export function allowedValues(schemas: JsonSchema[]): AllowedValue[] {
  const out: AllowedValue[] = [];
  const seen = new Set<string>();
  const fallbackDefault = defaultOf(schemas);
  const add = (value: ScalarValue, markdown: string | undefined, isDefault: boolean) => {
    const key = JSON.stringify(value);
    if (seen.has(key)) return;
    seen.add(key);
    const entry: AllowedValue = { value, isDefault };
    if (markdown) entry.markdown = markdown;
    out.push(entry);
  };
  for (const schema of schemas) {
    const isDefault = (value: ScalarValue) => (schema.default ?? fallbackDefault) === value;
    schema.enum?.forEach((value, index) =>
      add(value, schema.markdownEnumDescriptions?.[index], isDefault(value)),
    );
    if (schema.const !== undefined)
      add(schema.const, schema.markdownDescription, isDefault(schema.const));
    if (typesOf(schema).includes('boolean') && schema.enum === undefined) {
      add(true, undefined, isDefault(true));
      add(false, undefined, isDefault(false));
    }
  }
  return out;
}

export function descriptionOf(schemas: JsonSchema[]): string | undefined {
  return schemas.find((schema) => schema.markdownDescription)?.markdownDescription;
}

export function defaultOf(schemas: JsonSchema[]): unknown {
  return schemas.find((schema) => schema.default !== undefined)?.default;
}

export function examplesOf(schemas: JsonSchema[]): unknown[] {
  return schemas.find((schema) => schema.examples !== undefined)?.examples ?? [];
}

/** A short type for a completion's detail: `absolute path`, `integer 1–19`, `list of strings`. */
export function typeLabel(schemas: JsonSchema[]): string {
  const labels = new Set<string>();
  const enumerated = schemas.filter((s) => s.enum !== undefined || s.const !== undefined);
  if (enumerated.length > 0)
    labels.add(
      allowedValues(enumerated)
        .map((v) => JSON.stringify(v.value))
        .join(' | '),
    );
  for (const schema of schemas) {
    if (enumerated.includes(schema)) continue;
    const label = labelOf(schema);
    if (label) labels.add(label);
  }
  return [...labels].join(' or ');
}

function labelOf(schema: JsonSchema): string | undefined {
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.enum) return schema.enum.map((value) => JSON.stringify(value)).join(' | ');
  const types = typesOf(schema);
  if (types.length === 0) return undefined;
  return types.map((type) => labelOfType(schema, type)).join(' or ');
}

function labelOfType(schema: JsonSchema, type: string): string {
  switch (type) {
    case 'string':
      if (schema.pattern === '^/') return 'absolute path';
      if (schema.pattern?.includes('[smhd]')) return 'duration';
      if (schema.pattern?.includes('[ymdh]')) return 'restic duration';
      return 'string';
    case 'integer':
    case 'number':
      if (schema.minimum !== undefined && schema.maximum !== undefined)
        return `${type} ${schema.minimum}–${schema.maximum}`;
      if (schema.minimum !== undefined) return `${type} ≥ ${schema.minimum}`;
      return type;
    case 'boolean':
      return 'true or false';
    case 'array': {
      const item = schema.items ? labelOf(resolveRef(schema.items)) : undefined;
      if (!item) return 'list';
      return `list of ${/(string|path)$/.test(item) ? `${item}s` : item}`;
    }
    case 'object':
      return 'mapping';
    default:
      return type;
  }
}

function typesOf(schema: JsonSchema): string[] {
  if (Array.isArray(schema.type)) return schema.type;
  if (typeof schema.type === 'string') return [schema.type];
  if (schema.properties || schema.additionalProperties) return ['object'];
  if (schema.items) return ['array'];
  return [];
}
