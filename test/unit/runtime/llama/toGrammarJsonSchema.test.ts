import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { toGrammarJsonSchema } from '../../../../src/runtime/llama/toGrammarJsonSchema.js';

const jsonSchema = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }) as Record<string, unknown>;
const ANY = { oneOf: [{ type: ['string', 'number', 'boolean', 'null'] }, { type: 'array' }, { type: 'object', additionalProperties: true }] };

describe('toGrammarJsonSchema', () => {
  it('turns anyOf into oneOf at any depth and drops $schema', () => {
    const schema = toGrammarJsonSchema({
      schema: jsonSchema(z.object({ list: z.array(z.object({ note: z.string().nullable(), both: z.union([z.boolean(), z.array(z.string())]), pick: z.union([z.literal('a'), z.number()]) })) })),
    });
    expect(schema).not.toHaveProperty('$schema');
    expect(schema).toMatchObject({
      type: 'object',
      properties: {
        list: {
          type: 'array',
          items: {
            properties: {
              note: { type: ['string', 'null'] },
              both: { oneOf: [{ type: 'boolean' }, { type: 'array', items: { type: 'string' } }] },
              pick: { oneOf: [{ const: 'a' }, { type: 'number' }] },
            },
          },
        },
      },
    });
    expect(JSON.stringify(schema)).not.toContain('anyOf');
  });

  it('turns schemas that accept anything into "any JSON value"', () => {
    expect(toGrammarJsonSchema({ schema: jsonSchema(z.object({ data: z.unknown(), rest: z.record(z.string(), z.any()) })) })).toMatchObject({
      properties: { data: ANY, rest: { type: 'object', additionalProperties: ANY } },
    });
    expect(toGrammarJsonSchema({ schema: { type: 'array', items: true } })).toEqual({ type: 'array', items: ANY });
  });

  it('keeps everything else as it is', () => {
    const source = jsonSchema(z.object({ name: z.string().min(1).max(5), kind: z.enum(['x', 'y']), count: z.number().int().min(0) }));
    expect(toGrammarJsonSchema({ schema: source })).toEqual(Object.fromEntries(Object.entries(source).filter(([key]) => key !== '$schema')));
  });
});
