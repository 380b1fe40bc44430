import Ajv from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import schemaJson from '../../../schemas/backup.schema.json';

/** The JSON Schema of backup.yaml, as a plain object (also read by the language server). */
export const backupSchema: JsonSchema = schemaJson as JsonSchema;

/** The subset of JSON Schema draft-07 that backup.schema.json uses. */
export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  patternProperties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  propertyNames?: JsonSchema;
  items?: JsonSchema;
  required?: string[];
  enum?: (string | number | boolean)[];
  const?: string | number | boolean;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  discriminator?: { propertyName: string };
  pattern?: string;
  patternErrorMessage?: string;
  minItems?: number;
  minProperties?: number;
  maxProperties?: number;
  minLength?: number;
  minimum?: number;
  maximum?: number;
  default?: unknown;
  examples?: unknown[];
  markdownDescription?: string;
  markdownEnumDescriptions?: string[];
  definitions?: Record<string, JsonSchema>;
  [annotation: string]: unknown;
}

/** Keywords the schema carries for editors; ajv must know them to stay in strict mode. */
const EDITOR_KEYWORDS = ['markdownDescription', 'markdownEnumDescriptions', 'patternErrorMessage'];

let compiled: ValidateFunction | undefined;

/** Validates plain data against the schema; compiled once, on first use. */
export function schemaErrors(value: unknown): ErrorObject[] {
  compiled ??= compile();
  return compiled(value) ? [] : [...(compiled.errors ?? [])];
}

function compile(): ValidateFunction {
  const ajv = new Ajv({
    allErrors: true,
    verbose: true,
    discriminator: true,
    strict: true,
    allowUnionTypes: true,
  });
  ajv.addVocabulary(EDITOR_KEYWORDS);
  return ajv.compile(backupSchema);
}

/** Resolves a local `#/definitions/x` reference. */
export function resolveRef(schema: JsonSchema): JsonSchema {
  let current = schema;
  for (let hops = 0; current.$ref && hops < 8; hops++) {
    const name = current.$ref.replace(/^#\/definitions\//, '');
    const target = backupSchema.definitions?.[name];
    if (!target) break;
    current = { ...target, ...withoutRef(current) };
  }
  return current;
}

function withoutRef(schema: JsonSchema): JsonSchema {
  const { $ref: _ref, ...rest } = schema;
  return rest;
}

export interface SourceTypeDefinition {
  /** `postgres` */
  type: string;
  /** `postgresSource`: its definition's name in the schema. */
  definition: string;
  schema: JsonSchema;
}

/**
 * The source types the schema knows, in its order: the branches of `source.oneOf`, each with
 * its `type` constant. Code that lists source types reads them here, so a new type is one
 * schema definition, not an edit in every list.
 */
export function sourceTypeDefinitions(): SourceTypeDefinition[] {
  const branches = backupSchema.definitions?.['source']?.oneOf ?? [];
  return branches.flatMap((branch) => {
    const definition = branch.$ref?.replace(/^#\/definitions\//, '') ?? '';
    const schema = backupSchema.definitions?.[definition];
    const type = schema?.properties?.['type']?.const;
    return schema && typeof type === 'string' ? [{ type, definition, schema }] : [];
  });
}
