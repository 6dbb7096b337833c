import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import type { ModelUsage } from '../../shared/model/ModelUsage.js';
import { resolveDataDir } from '../../engine/store/resolveDataDir.js';
import type { JsonGenerateRequest } from '../../shared/model/JsonGenerateRequest.js';
import type { JsonModelBackend } from '../../shared/model/JsonModelBackend.js';
import { decodeTokensPerSecond } from '../../runtime/backend/decodeTokensPerSecond.js';
import { createModelBackend } from '../../runtime/models/createModelBackend.js';
import { parseModelsSpec } from '../../runtime/models/parseModelsSpec.js';
import { modelRoleSchema, type ModelRole } from '../../shared/modelRole.js';
import type { PhaseName } from '../../shared/phaseName.js';
import { checkProfileOption } from '../checkProfileOption.js';
import { CliUsageError } from '../CliUsageError.js';

const PROMPT_ID = 'models-try@1';
/** The phase each role usually plays, sent as the call's meta (the scripted backend keys on it). */
const PHASE: Record<ModelRole, PhaseName> = { brain: 'plan', coder: 'green', qa: 'review' };
/** Every backend here constrains output to JSON; free text is a JSON string. */
const FREE_TEXT_SCHEMA = { type: 'string' };

interface TryFlags {
  role: string;
  prompt: string;
  system: string;
  schema?: string;
  models: string;
  profile?: string;
  dataDir?: string;
  temperature?: number;
  seed?: number;
  maxTokens?: number;
  candidates?: number[];
  json?: boolean;
}

/** What one candidate produced. */
interface TryAnswer {
  /** The temperature asked for; null when the backend's per-role default applied. */
  temperature: number | null;
  text: string;
  /** The parsed value when the output validated; null otherwise, and without --schema. */
  value: unknown;
  /** Whether the output parsed and matched the schema; null without --schema. */
  valid: boolean | null;
  /** Why it did not validate; null when it did, and without --schema. */
  issues: string | null;
  model: string;
  backend: string;
  usage: ModelUsage & { tokensPerSecond: number | null };
}

/**
 * `nightshift models try`: one prompt on one role, tokens streamed to stdout, then usage (tokens, time to
 * first token, tokens per second). With `--schema FILE.json` (a JSON Schema) the output is constrained by
 * it and validated, and the exit code is 1 when a candidate does not validate; without, the answer is
 * free text (a JSON string, as every backend constrains output to JSON). `--candidates` asks once per
 * temperature, each with the same seed. Every kind of `--models` is called as a backend with the JSON
 * Schema itself, so usage is reported even for output that does not validate.
 */
export function registerModelsTryCommand(models: Command): void {
  models
    .command('try')
    .description('run one prompt on a role and stream the answer, then show usage; --schema constrains and validates it')
    .requiredOption('--prompt <text>', 'the user prompt')
    .option('--role <role>', 'brain, coder or qa', 'coder')
    .option('--system <text>', 'the system prompt', '')
    .option('--schema <file>', 'a JSON Schema file the answer must match')
    .option('--models <spec>', 'model backend: local (the memory-tier profile), local:FILE.gguf, openai:URL#MODEL, scripted:FILE', 'local')
    .option('--profile <id>', 'model profile for --models local (default: the largest tier that fits this machine)')
    .option('--data-dir <dir>', 'where Nightshift keeps its data; --models local finds models in <data-dir>/models')
    .option('--temperature <t>', 'sampling temperature (default: the role’s setting)', (value) => parseTemperature(value, '--temperature'))
    .option('--seed <n>', 'sampling seed', parseSeed)
    .option('--max-tokens <n>', 'output token cap (default: the role’s setting)', parseMaxTokens)
    .option('--candidates <temperatures>', 'one answer per temperature, e.g. 0.0,0.4,0.8', parseCandidates)
    .option('--json', 'print one JSON object instead of streaming')
    .action(async (flags: TryFlags) => {
      checkProfileOption({ models: flags.models, profile: flags.profile });
      const role = parseRole(flags.role);
      if (flags.candidates && flags.temperature !== undefined) {
        throw new CliUsageError({ message: 'Give either --temperature or --candidates, not both.', hint: 'For one answer use --temperature T; for several use --candidates T1,T2,...' });
      }
      const schema = flags.schema ? await readJsonSchema(resolve(process.cwd(), flags.schema)) : null;
      const generate = await openModels(flags, role, schema?.jsonSchema ?? FREE_TEXT_SCHEMA, schema?.validator ?? null);
      const controller = new AbortController();
      const cancel = () => controller.abort();
      process.once('SIGINT', cancel);
      const temperatures: Array<number | null> = flags.candidates ?? [flags.temperature ?? null];
      const answers: TryAnswer[] = [];
      try {
        for (const [index, temperature] of temperatures.entries()) {
          if (!flags.json && temperatures.length > 1) {
            process.stdout.write(`${index === 0 ? '' : '\n'}--- candidate ${index + 1} of ${temperatures.length}, temperature ${String(temperature)} ---\n`);
          }
          const answer = await generate.call({
            temperature,
            signal: controller.signal,
            ...(flags.json ? {} : { onToken: (text: string) => process.stdout.write(text) }),
          });
          answers.push(answer);
          if (!flags.json) process.stdout.write(`\n${formatAnswer(answer)}`);
        }
      } finally {
        process.off('SIGINT', cancel);
        await generate.dispose();
      }
      if (flags.json) {
        const { model, backend } = answers[0]!;
        process.stdout.write(`${JSON.stringify({ role, model, backend, schema: flags.schema ? resolve(process.cwd(), flags.schema) : null, candidates: answers }, null, 2)}\n`);
      }
      if (answers.some((answer) => answer.valid === false)) process.exitCode = 1;
    });
}

interface Generate {
  call(options: { temperature: number | null; signal: AbortSignal; onToken?: (text: string) => void }): Promise<TryAnswer>;
  dispose(): Promise<void>;
}

/** Any `--models` kind, through the one parser and registry; the backend gets the JSON Schema itself. */
async function openModels(flags: TryFlags, role: ModelRole, jsonSchema: Record<string, unknown>, validator: z.ZodType | null): Promise<Generate> {
  const backend = await createModelBackend({
    spec: parseModelsSpec({ spec: flags.models, cwd: process.cwd() }),
    dataDir: resolveDataDir(flags.dataDir ? { explicit: flags.dataDir } : {}),
    ...(flags.profile ? { profileId: flags.profile } : {}),
  });
  const request: JsonGenerateRequest = {
    role,
    promptId: PROMPT_ID,
    system: flags.system,
    user: flags.prompt,
    jsonSchema,
    meta: { taskId: 'try', phase: PHASE[role], attempt: 1 },
    ...(flags.seed === undefined ? {} : { seed: flags.seed }),
    ...(flags.maxTokens === undefined ? {} : { maxTokens: flags.maxTokens }),
  };
  return { call: (options) => callBackend(backend, request, validator, options), dispose: () => backend.dispose() };
}

async function callBackend(
  backend: JsonModelBackend,
  request: JsonGenerateRequest,
  validator: z.ZodType | null,
  options: { temperature: number | null; signal: AbortSignal; onToken?: (text: string) => void },
): Promise<TryAnswer> {
  const result = await backend.generate(
    { ...request, ...(options.temperature === null ? {} : { temperature: options.temperature }) },
    { signal: options.signal, ...(options.onToken ? { onToken: options.onToken } : {}) },
  );
  return {
    temperature: options.temperature,
    text: result.text,
    ...validate(result.text, validator),
    model: result.model,
    backend: result.backend,
    usage: { ...result.usage, tokensPerSecond: decodeTokensPerSecond(result.usage) },
  };
}

function validate(text: string, validator: z.ZodType | null): Pick<TryAnswer, 'value' | 'valid' | 'issues'> {
  if (!validator) return { value: null, valid: null, issues: null };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { value: null, valid: false, issues: `not JSON (${(error as Error).message})` };
  }
  const parsed = validator.safeParse(json);
  if (parsed.success) return { value: parsed.data, valid: true, issues: null };
  return { value: null, valid: false, issues: parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ') };
}

function formatAnswer(answer: TryAnswer): string {
  const { usage } = answer;
  const lines = [
    `model ${answer.model} (${answer.backend})`,
    `usage: ${usage.promptTokens} prompt tokens, ${usage.outputTokens} output tokens, ` +
      `first token after ${usage.timeToFirstTokenMs === null ? '?' : `${Math.round(usage.timeToFirstTokenMs)} ms`}, ` +
      `${usage.tokensPerSecond === null ? '?' : usage.tokensPerSecond.toFixed(1)} tokens/s, ${Math.round(usage.durationMs)} ms in all`,
  ];
  if (answer.valid === true) lines.push('schema: valid');
  if (answer.valid === false) lines.push(`schema: INVALID (${answer.issues ?? ''})`);
  return `${lines.join('\n')}\n`;
}

async function readJsonSchema(path: string): Promise<{ jsonSchema: Record<string, unknown>; validator: z.ZodType }> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new CliUsageError({ message: `Cannot read the JSON Schema ${path}: ${(error as Error).message}`, hint: 'Give --schema a file holding one JSON Schema object.', context: { path } });
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new CliUsageError({ message: `${path} does not hold a JSON Schema object.`, hint: 'A schema looks like {"type":"object","properties":{...}}.', context: { path } });
  }
  try {
    return { jsonSchema: json as Record<string, unknown>, validator: z.fromJSONSchema(json as Parameters<typeof z.fromJSONSchema>[0]) };
  } catch (error) {
    throw new CliUsageError({
      message: `The JSON Schema in ${path} cannot be used: ${(error as Error).message}`,
      hint: 'Use standard JSON Schema keywords (type, properties, required, enum, items, ...).',
      context: { path },
    });
  }
}

function parseRole(value: string): ModelRole {
  const parsed = modelRoleSchema.safeParse(value);
  if (!parsed.success) throw new CliUsageError({ message: `--role must be brain, coder or qa, not "${value}".`, hint: 'For example --role coder.' });
  return parsed.data;
}

function parseTemperature(value: string, flag: string): number {
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed) || parsed < 0) {
    throw new CliUsageError({ message: `${flag} needs temperatures of 0 or more, not "${value}".`, hint: 'For example 0 (greedy) or 0.7.' });
  }
  return parsed;
}

function parseCandidates(value: string): number[] {
  return value.split(',').map((part) => parseTemperature(part, '--candidates'));
}

function parseSeed(value: string): number {
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed)) throw new CliUsageError({ message: `--seed must be a whole number, not "${value}".`, hint: 'For example --seed 42.' });
  return parsed;
}

function parseMaxTokens(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new CliUsageError({ message: `--max-tokens must be a positive whole number, not "${value}".`, hint: 'For example --max-tokens 256.' });
  return parsed;
}
