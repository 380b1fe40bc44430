import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import Ajv from 'ajv';
import type { JsonSchema } from '../../runner/src/spec/schema';
import { backupSchema, resolveRef } from '../../runner/src/spec/schema';
import { SPEC_KEYS } from '../../runner/src/spec/types';

/** Every sub-schema with the JSON path that leads to it. */
function* walk(schema: JsonSchema, at: string): Generator<[string, JsonSchema]> {
  yield [at, schema];
  for (const [key, child] of Object.entries(schema.properties ?? {}))
    yield* walk(child, `${at}.properties.${key}`);
  for (const [key, child] of Object.entries(schema.definitions ?? {}))
    yield* walk(child, `${at}.definitions.${key}`);
  for (const [key, child] of Object.entries(schema.patternProperties ?? {}))
    yield* walk(child, `${at}.patternProperties.${key}`);
  if (typeof schema.additionalProperties === 'object')
    yield* walk(schema.additionalProperties, `${at}.additionalProperties`);
  if (schema.items) yield* walk(schema.items, `${at}.items`);
  for (const keyword of ['anyOf', 'oneOf'] as const) {
    for (const [i, child] of (schema[keyword] ?? []).entries())
      yield* walk(child, `${at}.${keyword}[${i}]`);
  }
}

const all = [...walk(backupSchema, '#')];

describe('backup.schema.json', () => {
  test('is a valid draft-07 schema that ajv compiles in strict mode', () => {
    const ajv = new Ajv({ strict: true, discriminator: true, allowUnionTypes: true });
    ajv.addVocabulary(['markdownDescription', 'markdownEnumDescriptions', 'patternErrorMessage']);
    assert.equal(typeof ajv.compile(backupSchema), 'function');
  });

  test('every property has a markdown description', () => {
    const missing: string[] = [];
    for (const [at, schema] of all) {
      for (const [key, property] of Object.entries(schema.properties ?? {})) {
        if (!property.markdownDescription && !resolveRef(property).markdownDescription)
          missing.push(`${at}.${key}`);
      }
    }
    assert.deepEqual(missing, []);
  });

  test('every enum value has its own description', () => {
    for (const [at, schema] of all) {
      if (!schema.enum) continue;
      assert.equal(
        schema.markdownEnumDescriptions?.length,
        schema.enum.length,
        `${at} describes each enum value`,
      );
    }
  });

  test('every object rejects unknown keys', () => {
    for (const [at, schema] of all) {
      if (schema.properties && !schema.oneOf)
        assert.notEqual(schema.additionalProperties, undefined, `${at} sets additionalProperties`);
    }
  });

  test('the branches of each anyOf have distinct types (the error collapse relies on it)', () => {
    for (const [at, schema] of all) {
      if (!schema.anyOf) continue;
      const types = schema.anyOf.map((branch) => JSON.stringify(resolveRef(branch).type));
      assert.equal(new Set(types).size, types.length, `${at}: ${types.join(', ')}`);
    }
  });

  test('examples and defaults are valid for the property they document', () => {
    const ajv = new Ajv({ strict: false, allowUnionTypes: true });
    for (const [at, schema] of all) {
      const resolved = resolveRef(schema);
      const { examples, default: fallback, markdownDescription: _d, ...rules } = resolved;
      if (examples === undefined && fallback === undefined) continue;
      const validate = ajv.compile({ ...rules, definitions: backupSchema.definitions });
      for (const value of [...(examples ?? []), ...(fallback === undefined ? [] : [fallback])]) {
        assert.ok(
          validate(value),
          `${at}: ${JSON.stringify(value)} ${ajv.errorsText(validate.errors)}`,
        );
      }
    }
  });

  test('the TypeScript interfaces declare exactly the keys of the schema', () => {
    for (const [definition, keys] of Object.entries(SPEC_KEYS)) {
      const schema = definition === '#' ? backupSchema : backupSchema.definitions?.[definition];
      assert.ok(schema, `definition ${definition} exists`);
      assert.deepEqual([...keys].sort(), Object.keys(schema.properties ?? {}).sort(), definition);
    }
  });
});
