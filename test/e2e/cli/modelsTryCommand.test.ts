import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createTinyGguf } from '../../fixtures/createTinyGguf.js';
import { runCli } from '../../utils/runCli.js';

const usageSchema = z.object({
  promptTokens: z.number().int().positive(),
  outputTokens: z.number().int().positive(),
  durationMs: z.number().positive(),
  timeToFirstTokenMs: z.number().nonnegative(),
  tokensPerSecond: z.number().positive().nullable(),
});
const tryOutputSchema = z.object({
  role: z.enum(['brain', 'coder', 'qa']),
  model: z.string(),
  backend: z.string(),
  schema: z.string().nullable(),
  candidates: z.array(
    z.object({
      temperature: z.number().nullable(),
      text: z.string(),
      value: z.unknown(),
      valid: z.boolean().nullable(),
      issues: z.string().nullable(),
      model: z.string(),
      backend: z.string(),
      usage: usageSchema,
    }),
  ),
});

const verdictJsonSchema = { type: 'object', properties: { verdict: { enum: ['GO', 'NO_GO'] } }, required: ['verdict'], additionalProperties: false };

let dir: string;
let model: string;
beforeAll(() => {
  // One model file for every test: makeTempDir is per test.
  dir = mkdtempSync(join(tmpdir(), 'nightshift-models-try-'));
  model = createTinyGguf({ path: join(dir, 'tiny-try.gguf'), name: 'tiny-try' }).path;
  writeFileSync(join(dir, 'verdict.json'), JSON.stringify(verdictJsonSchema));
  // The grammar cannot express `maximum`, so the tiny model's non-negative numbers break it.
  writeFileSync(join(dir, 'negative.json'), JSON.stringify({ type: 'object', properties: { n: { type: 'integer', maximum: -5 } }, required: ['n'] }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const tryArgs = (...args: string[]) => ['models', 'try', '--models', `local:${model}`, '--data-dir', join(dir, 'data'), ...args];
/** One thread per context: on a machine shared with other tests, more spin-wait on each other. */
const tryCli = (options: { args: string[]; env?: Record<string, string> }) => runCli({ ...options, env: { NIGHTSHIFT_LLAMA_THREADS: '1', ...options.env } });

describe('nightshift models try', () => {
  it('constrains the answer with a JSON Schema file and reports it valid, once per candidate temperature', () => {
    const run = tryCli({ args: tryArgs('--role', 'qa', '--prompt', 'Is this change good?', '--schema', join(dir, 'verdict.json'), '--candidates', '0,0.8', '--seed', '7', '--json') });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const output = tryOutputSchema.parse(JSON.parse(run.stdout));
    expect(output).toMatchObject({ role: 'qa', model: 'tiny-try', backend: 'llama.cpp', schema: join(dir, 'verdict.json') });
    expect(output.candidates.map((candidate) => candidate.temperature)).toEqual([0, 0.8]);
    const verdict = z.fromJSONSchema(verdictJsonSchema as Parameters<typeof z.fromJSONSchema>[0]);
    for (const candidate of output.candidates) {
      expect(candidate).toMatchObject({ valid: true, issues: null });
      expect(verdict.parse(JSON.parse(candidate.text))).toEqual(candidate.value);
    }
  });

  it('streams the answer, then prints usage, and exits 1 when the answer breaks the schema', () => {
    const valid = tryCli({ args: tryArgs('--prompt', 'Review it.', '--schema', join(dir, 'verdict.json')) });
    expect(valid.code).toBe(0);
    const [answer, ...rest] = valid.stdout.split('\n');
    expect(JSON.parse(answer!)).toMatchObject({ verdict: expect.stringMatching(/^(GO|NO_GO)$/) });
    expect(rest.join('\n')).toMatch(/^model tiny-try \(llama\.cpp\)\nusage: \d+ prompt tokens, \d+ output tokens, first token after \d+ ms, [\d.]+ tokens\/s, \d+ ms in all\nschema: valid\n$/);

    const invalid = tryCli({ args: tryArgs('--prompt', 'A number, please.', '--schema', join(dir, 'negative.json'), '--json') });
    expect(invalid.code).toBe(1);
    const [candidate] = tryOutputSchema.parse(JSON.parse(invalid.stdout)).candidates;
    expect(candidate).toMatchObject({ valid: false, value: null, issues: expect.stringContaining('n:') });
  });

  it('answers free text within the token cap', () => {
    const run = tryCli({ args: tryArgs('--role', 'brain', '--prompt', 'Say something.', '--max-tokens', '6', '--temperature', '1', '--seed', '3', '--json') });
    expect(run.code).toBe(0);
    const [candidate] = tryOutputSchema.parse(JSON.parse(run.stdout)).candidates;
    expect(candidate).toMatchObject({ temperature: 1, valid: null, issues: null, value: null });
    expect(candidate!.text.startsWith('"')).toBe(true);
    expect(candidate!.usage.outputTokens).toBeLessThanOrEqual(6);
  });

  it('refuses bad input with exit code 2', () => {
    const role = tryCli({ args: tryArgs('--role', 'tester', '--prompt', 'x') });
    expect(role.code).toBe(2);
    expect(role.stderr).toContain('--role must be brain, coder or qa');
    writeFileSync(join(dir, 'broken.json'), '{"type": "bogus"}');
    const schema = tryCli({ args: tryArgs('--prompt', 'x', '--schema', join(dir, 'broken.json')) });
    expect(schema.code).toBe(2);
    expect(schema.stderr).toContain('cannot be used');
    const both = tryCli({ args: tryArgs('--prompt', 'x', '--temperature', '0.2', '--candidates', '0,1') });
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('either --temperature or --candidates');
    const threads = tryCli({ args: tryArgs('--prompt', 'x'), env: { NIGHTSHIFT_LLAMA_THREADS: 'all' } });
    expect(threads.code).toBe(2);
    expect(threads.stderr).toContain('NIGHTSHIFT_LLAMA_THREADS must be a positive whole number');
  });
});
