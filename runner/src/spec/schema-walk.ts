import type { SpecPath } from './diagnostic';
import type { JsonSchema } from './schema';
import { backupSchema, resolveRef } from './schema';

/**
 * Reads a discriminating property (a source's `type`) of the mapping at `path`, so a `oneOf`
 * with a discriminator can be narrowed to the branch that applies. Undefined when unknown.
 */
export type DiscriminatorReader = (path: SpecPath, property: string) => unknown;

const unknownDiscriminator: DiscriminatorReader = () => undefined;

/** `anyOf`/`oneOf` nest a few levels in backup.schema.json; this bounds a malformed schema. */
const MAX_EXPANSION_DEPTH = 6;

/**
 * The schemas that describe the value at `path` in a backup.yaml, `$ref`s resolved. There are
 * several when the schema offers alternatives: a secret is a string or a reference, a hook a
 * list or a mapping, and a source whose `type` is not known yet may be any kind of source. The
 * first schema is the most specific one (the discriminated branch, else the property's own
 * annotations); an empty list means that nothing may be written at `path`.
 */
export function schemasAt(
  path: SpecPath,
  readDiscriminator: DiscriminatorReader = unknownDiscriminator,
): JsonSchema[] {
  let current = alternatives(backupSchema, [], readDiscriminator, 0);
  for (let depth = 0; depth < path.length && current.length > 0; depth++) {
    const segment = path[depth] as string | number;
    const here = path.slice(0, depth + 1);
    current = current.flatMap((schema) => {
      const child = childSchema(schema, segment);
      return child ? alternatives(child, here, readDiscriminator, 0) : [];
    });
  }
  return current;
}

/** The schema of `segment` inside `schema`: a property, an extension key, a named entry or an item. */
function childSchema(schema: JsonSchema, segment: string | number): JsonSchema | undefined {
  if (typeof segment === 'number') return schema.items;
  const property = schema.properties?.[segment];
  if (property) return property;
  for (const [pattern, patternSchema] of Object.entries(schema.patternProperties ?? {})) {
    if (safeTest(pattern, segment)) return patternSchema;
  }
  return typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
}

function alternatives(
  schema: JsonSchema,
  path: SpecPath,
  readDiscriminator: DiscriminatorReader,
  depth: number,
): JsonSchema[] {
  const resolved = resolveRef(schema);
  const branches = resolved.anyOf ?? resolved.oneOf;
  if (!branches || depth >= MAX_EXPANSION_DEPTH) return [resolved];
  const { anyOf: _anyOf, oneOf: _oneOf, discriminator, ...own } = resolved;
  const expanded = branches.flatMap((branch) =>
    alternatives(branch, path, readDiscriminator, depth + 1),
  );
  const property = discriminator?.propertyName;
  if (property !== undefined) {
    const value = readDiscriminator(path, property);
    const chosen = expanded.filter((branch) => branch.properties?.[property]?.const === value);
    if (chosen.length > 0) return [...chosen, own];
  }
  return [own, ...expanded];
}

function safeTest(pattern: string, text: string): boolean {
  try {
    return new RegExp(pattern, 'u').test(text);
  } catch {
    return false;
  }
}
