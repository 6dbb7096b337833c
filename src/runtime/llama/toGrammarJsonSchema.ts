import type { GbnfJsonSchema } from 'node-llama-cpp';

/** Keywords that make a schema more than "any value" for node-llama-cpp's grammar builder. */
const SHAPING_KEYWORDS = ['type', 'const', 'enum', 'oneOf', 'anyOf', '$ref', 'properties', 'items', 'prefixItems', 'additionalProperties'];

/**
 * Rewrites a JSON Schema (as zod's toJSONSchema writes it) into the subset node-llama-cpp turns into a
 * grammar. That builder reads `oneOf` but not `anyOf`, and turns a schema with no type into `null`, so
 * a zod union or nullable would only ever yield `null` and a `z.unknown()` field could never hold a
 * value: `anyOf` becomes `oneOf`, and a schema without shaping keywords becomes "any JSON value".
 * Keywords the builder ignores (pattern, minimum, ...) stay; the caller validates the output again.
 */
export function toGrammarJsonSchema(options: {
  /** The request's JSON Schema. */
  schema: Record<string, unknown>;
}): GbnfJsonSchema {
  return rewrite(options.schema) as GbnfJsonSchema;
}

function rewrite(schema: unknown): unknown {
  if (schema === true || (isRecord(schema) && !SHAPING_KEYWORDS.some((keyword) => keyword in schema))) return anyJson();
  if (!isRecord(schema)) return schema;
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === '$schema') continue;
    if (key === 'anyOf' || key === 'oneOf') result.oneOf = (value as unknown[]).map(rewrite);
    else if (key === 'additionalProperties') result[key] = typeof value === 'boolean' ? value : rewrite(value);
    else if (key === 'items') result[key] = rewrite(value);
    else if (key === 'prefixItems') result[key] = (value as unknown[]).map(rewrite);
    else if (key === 'properties' || key === '$defs') result[key] = Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([name, sub]) => [name, rewrite(sub)]));
    else result[key] = value;
  }
  return result;
}

function anyJson(): Record<string, unknown> {
  return {
    oneOf: [{ type: ['string', 'number', 'boolean', 'null'] }, { type: 'array' }, { type: 'object', additionalProperties: true }],
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
