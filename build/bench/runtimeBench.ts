/*
 * `npm run bench:runtime`: measures Nightshift's local model runtime on tiny random-weight GGUF models
 * generated for the run, all figures from one run on the same models:
 *   a. generation speed (tokens/s after the first token) and time to first token through the model host
 *      process versus createLlamaBackend in this process: same prompts, seeds and threads, warm-up calls
 *      first, then alternating which side goes first in each round;
 *   b. model loads over a 20-task session (plan, red, green, review per task) driven through the host,
 *      with brain and coder sharing one file and qa loading another on demand under a budget;
 *   c. the memory each model was estimated to take versus how much a host process grew when it first
 *      loaded and used that model, after the other model had warmed the process up (so one-time costs,
 *      the first inference's buffers and JavaScript heap, are not counted against either model).
 * Prints a table and one line per target (MET / NOT MET). Targets not met still exit 0: it is a
 * benchmark; only a run that could not measure exits 1.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import type { JsonGenerateRequest } from '../../src/shared/model/JsonGenerateRequest.js';
import type { JsonModelBackend } from '../../src/shared/model/JsonModelBackend.js';
import { decodeTokensPerSecond } from '../../src/runtime/backend/decodeTokensPerSecond.js';
import { createModelHost } from '../../src/runtime/host/createModelHost.js';
import { createLlamaBackend } from '../../src/runtime/llama/createLlamaBackend.js';
import type { BackendSpec, ModelBackendStats } from '../../src/shared/modelHostProtocol.js';
import type { ModelRole } from '../../src/shared/modelRole.js';
import { coderOutputSchema } from '../../src/shared/coderOutputSchema.js';
import { planSchema } from '../../src/shared/planSchema.js';
import { reviewVerdictSchema } from '../../src/shared/reviewVerdictSchema.js';
import { createTinyGguf } from '../../test/fixtures/createTinyGguf.js';

/** One thread per context: on a 2-core machine shared with other work, more threads spin-wait on each other. */
const THREADS = 1;
const CONTEXT_SIZE = 2048;
const WARMUP_ROUNDS = 2;
const MEASURED_ROUNDS = 10;
/** Output cap of the speed calls: the bench model rarely closes its string first, so most calls decode this many. */
const SPEED_MAX_TOKENS = 64;
const SPEED_TEMPERATURE = 0.8;
const SESSION_TASKS = 20;
const SESSION_MAX_TOKENS = 16;
/** Calls on the other model before a model's memory is measured, so the process is in its steady state. */
const MEMORY_WARMUP_CALLS = 3;
/**
 * Longer than a batch (512 tokens), so the measured calls touch a context's whole compute buffer, which
 * is allocated for a full batch but only paged in as far as a batch reaches.
 */
const MEMORY_PROMPT = `Describe this change in a few words.\n${'def add(a, b):\n    return a + b\n'.repeat(60)}`;

const TARGET_SPEED_RATIO = 0.97;
const TARGET_LOADS = 2;
const TARGET_MEMORY_PERCENT = 10;

const dir = mkdtempSync(join(tmpdir(), 'nightshift-bench-'));
const started = performance.now();
const targets: Array<{ name: string; met: boolean; detail: string }> = [];
const cleanup: Array<() => Promise<void>> = [];

try {
  // closingBias 0: a plain random model, whose strings run to the token cap, so every call decodes alike.
  // ~137 MiB per model, so weights and KV cache dominate as in real models, instead of the few MiB of fixed
  // process overhead that swamp a memory comparison on a model of a few MiB.
  const shape = { embeddingLength: 768, blockCount: 6, contextLength: 8192, closingBias: 0 };
  const coderModel = createTinyGguf({ path: join(dir, 'bench-coder.gguf'), name: 'bench-coder', ...shape });
  const qaModel = createTinyGguf({ path: join(dir, 'bench-qa.gguf'), name: 'bench-qa', seed: 1, ...shape });
  log(`models: ${mib(coderModel.sizeBytes)} each (embedding ${shape.embeddingLength}, ${shape.blockCount} blocks), context ${CONTEXT_SIZE}, ${THREADS} thread(s)`);

  const speed = await measureSpeed(coderModel.path);
  const session = await runSession(coderModel.path, qaModel.path);
  const memory = await measureMemory(coderModel.path, qaModel.path);

  print(speed, session, memory);
} catch (error) {
  process.stderr.write(`bench:runtime could not measure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
} finally {
  for (const dispose of cleanup.reverse()) await dispose().catch(() => {});
  rmSync(dir, { recursive: true, force: true });
}

interface CallTiming {
  timeToFirstTokenMs: number;
  tokensPerSecond: number | null;
  outputTokens: number;
  text: string;
}

interface SpeedResult {
  host: CallTiming[];
  inProcess: CallTiming[];
  /** Calls whose host and in-process outputs differ, of all measured pairs. */
  differing: number;
  pairs: number;
}

/** (a) The same calls through the host and in process, timed on this side of each. */
async function measureSpeed(modelPath: string): Promise<SpeedResult> {
  const role = { modelPath, modelId: 'bench-coder', contextSize: CONTEXT_SIZE, gpuLayers: 0 };
  const roles = { brain: role, coder: role, qa: role };
  const host = createModelHost({ spec: { kind: 'llama', roles, threads: THREADS } });
  cleanup.push(() => host.dispose());
  const inProcess = createLlamaBackend({ roles, threads: THREADS });
  cleanup.push(() => inProcess.dispose());
  await host.start();
  await inProcess.load();

  const prompts = [200, 500, 900].map((approxTokens, index) => speedRequest(index, approxTokens));
  const sides = { host: [] as CallTiming[], inProcess: [] as CallTiming[] };
  let differing = 0;
  let pairs = 0;
  for (let round = 0; round < WARMUP_ROUNDS + MEASURED_ROUNDS; round++) {
    for (const [index, prompt] of prompts.entries()) {
      const request = { ...prompt, seed: round * prompts.length + index };
      // Alternate which side goes first, so neither always runs on a cache the other just warmed.
      const hostFirst = (round + index) % 2 === 0;
      const first = await timeCall(hostFirst ? host : inProcess, request);
      const second = await timeCall(hostFirst ? inProcess : host, request);
      if (round < WARMUP_ROUNDS) continue;
      const [hostTiming, inProcessTiming] = hostFirst ? [first, second] : [second, first];
      sides.host.push(hostTiming);
      sides.inProcess.push(inProcessTiming);
      pairs++;
      if (hostTiming.text !== inProcessTiming.text) differing++;
    }
  }
  return { ...sides, differing, pairs };
}

function speedRequest(index: number, approxTokens: number): JsonGenerateRequest {
  const line = `def handler_${index}(request):\n    return {"status": "ok", "items": [item for item in request.items if item.valid]}\n`;
  // The generator's vocabulary spells code in pieces of about two characters.
  const user = `Explain this code in one sentence.\n${line.repeat(Math.ceil((approxTokens * 2) / line.length))}`;
  return {
    role: 'coder',
    promptId: `bench-speed-${index}@1`,
    system: 'You are a careful senior engineer. Answer with one JSON string.',
    user,
    jsonSchema: { type: 'string' },
    meta: { taskId: `S${index}`, phase: 'green', attempt: 1 },
    temperature: SPEED_TEMPERATURE,
    maxTokens: SPEED_MAX_TOKENS,
  };
}

async function timeCall(backend: JsonModelBackend, request: JsonGenerateRequest): Promise<CallTiming> {
  const start = performance.now();
  let firstAt: number | null = null;
  const result = await backend.generate(request, { onToken: () => (firstAt ??= performance.now()) });
  const durationMs = performance.now() - start;
  const timeToFirstTokenMs = (firstAt ?? performance.now()) - start;
  const { outputTokens } = result.usage;
  return { timeToFirstTokenMs, tokensPerSecond: decodeTokensPerSecond({ outputTokens, durationMs, timeToFirstTokenMs }), outputTokens, text: result.text };
}

interface SessionResult {
  calls: number;
  failedCalls: number;
  durationMs: number;
  backend: ModelBackendStats;
}

/** (b) 20 tasks' worth of plan, red, green and review calls through one host, two model files. */
async function runSession(coderPath: string, qaPath: string): Promise<SessionResult> {
  const host = createModelHost({ spec: twoModelSpec(coderPath, qaPath) });
  cleanup.push(() => host.dispose());
  const started = performance.now();
  await host.start();
  const schemas = {
    plan: z.toJSONSchema(planSchema, { io: 'output' }),
    red: z.toJSONSchema(coderOutputSchema, { io: 'output' }),
    green: z.toJSONSchema(coderOutputSchema, { io: 'output' }),
    review: z.toJSONSchema(reviewVerdictSchema, { io: 'output' }),
  };
  const steps: Array<{ phase: keyof typeof schemas; role: ModelRole }> = [
    { phase: 'plan', role: 'brain' },
    { phase: 'red', role: 'coder' },
    { phase: 'green', role: 'coder' },
    { phase: 'review', role: 'qa' },
  ];
  let calls = 0;
  let failedCalls = 0;
  for (let task = 1; task <= SESSION_TASKS; task++) {
    for (const { phase, role } of steps) {
      calls++;
      await host
        .generate({
          role,
          promptId: `bench-${phase}@1`,
          system: `You are the ${role} of a careful engineering team. Answer in JSON.`,
          user: `Task T${task}: add function number ${task} to calc/ops.py with a test. Phase: ${phase}.`,
          jsonSchema: schemas[phase] as Record<string, unknown>,
          meta: { taskId: `T${task}`, phase, attempt: 1 },
          seed: task,
          maxTokens: SESSION_MAX_TOKENS,
        })
        .catch((error: unknown) => {
          failedCalls++;
          log(`  T${task} ${phase}: ${error instanceof Error ? error.message : String(error)}`);
        });
    }
  }
  const stats = await host.stats();
  if (!stats?.backend) throw new Error('the model host reported no backend stats (loads, resident models)');
  return { calls, failedCalls, durationMs: performance.now() - started, backend: stats.backend };
}

/**
 * Brain and coder share one file, qa has its own; both load on demand, under a budget with room for
 * both many times over, so a load beyond the first of each would be waste, not need.
 */
function twoModelSpec(coderPath: string, qaPath: string): BackendSpec {
  const coder = { modelPath: coderPath, modelId: 'bench-coder', contextSize: CONTEXT_SIZE, gpuLayers: 0, onDemand: true };
  const qa = { modelPath: qaPath, modelId: 'bench-qa', contextSize: CONTEXT_SIZE, gpuLayers: 0, onDemand: true };
  return { kind: 'llama', roles: { brain: coder, coder, qa }, threads: THREADS, budgetBytes: 2 * 1024 ** 3 };
}

interface MemoryRow {
  model: ModelBackendStats['resident'][number];
  /** Growth of the host process's resident set across the model's first load and use, in bytes. */
  measuredBytes: number;
  /**
   * Change of the host process's JavaScript heap over the same span, in bytes: part of measuredBytes,
   * and part of what a model costs (node-llama-cpp keeps each model's metadata and tokenizer in it), but
   * also garbage not yet collected.
   */
  heapDeltaBytes: number;
}

/**
 * (c) For each model, a fresh host (the two-model setup) first serves the other model's roles, then this
 * model's; the process's growth across the second part is what this model took: its weights, touched by
 * the calls, and its roles' contexts.
 */
async function measureMemory(coderPath: string, qaPath: string): Promise<MemoryRow[]> {
  const rows: MemoryRow[] = [];
  const groups: Array<{ measured: ModelRole[]; warmUp: ModelRole[] }> = [
    { measured: ['brain', 'coder'], warmUp: ['qa'] },
    { measured: ['qa'], warmUp: ['brain', 'coder'] },
  ];
  for (const { measured, warmUp } of groups) {
    const host = createModelHost({ spec: twoModelSpec(coderPath, qaPath) });
    cleanup.push(() => host.dispose());
    await host.start();
    const call = (role: ModelRole) =>
      host.generate({
        role,
        promptId: 'bench-memory@1',
        system: 'Answer with one JSON string.',
        user: MEMORY_PROMPT,
        jsonSchema: { type: 'string' },
        meta: { taskId: 'M1', phase: 'green', attempt: 1 },
        seed: 1,
        maxTokens: SESSION_MAX_TOKENS,
      });
    // Several calls, so the JavaScript side (heap, compiled code) is in its steady state before measuring.
    for (let round = 0; round < MEMORY_WARMUP_CALLS; round++) for (const role of warmUp) await call(role);
    const before = await host.stats();
    for (const role of measured) await call(role);
    const after = await host.stats();
    const model = after?.backend?.resident.find((resident) => resident.roles.includes(measured[0]!));
    if (!before || !after || !model) throw new Error(`the model host reported no stats for the model of ${measured.join('+')}`);
    rows.push({ model, measuredBytes: after.rssBytes - before.rssBytes, heapDeltaBytes: after.heapUsedBytes - before.heapUsedBytes });
    await host.dispose();
  }
  return rows;
}

function print(speed: SpeedResult, session: SessionResult, memory: MemoryRow[]): void {
  const hostTtft = median(speed.host.map((call) => call.timeToFirstTokenMs));
  const inTtft = median(speed.inProcess.map((call) => call.timeToFirstTokenMs));
  const hostSpeed = median(speed.host.flatMap((call) => (call.tokensPerSecond === null ? [] : [call.tokensPerSecond])));
  const inSpeed = median(speed.inProcess.flatMap((call) => (call.tokensPerSecond === null ? [] : [call.tokensPerSecond])));
  // Each pair ran back to back, so a ratio within a pair cancels what other work on the machine did to both.
  const pairs = speed.host.map((host, index) => ({ host, inProcess: speed.inProcess[index]! }));
  const speedRatio = median(
    pairs.flatMap(({ host, inProcess }) => (host.tokensPerSecond === null || inProcess.tokensPerSecond === null ? [] : [host.tokensPerSecond / inProcess.tokensPerSecond])),
  );
  // As a speed (1 / time), so that for both figures 1 is parity and higher favours the host.
  const ttftRatio = median(pairs.map(({ host, inProcess }) => inProcess.timeToFirstTokenMs / host.timeToFirstTokenMs));
  const outputTokens = median(speed.host.map((call) => call.outputTokens));

  log('');
  log(`a. host process vs in-process, ${speed.pairs} measured pairs after ${WARMUP_ROUNDS * 3} warm-up pairs (median output ${outputTokens} tokens)`);
  log(table([
    ['', 'host', 'in-process', 'host/in-process (median of pairs)'],
    ['tokens/s (after 1st token)', hostSpeed.toFixed(1), inSpeed.toFixed(1), speedRatio.toFixed(3)],
    ['time to first token (ms)', hostTtft.toFixed(1), inTtft.toFixed(1), `${ttftRatio.toFixed(3)} (as speed)`],
  ]));
  log(`   identical outputs for the same seed: ${speed.pairs - speed.differing} of ${speed.pairs}`);

  log('');
  log(`b. ${SESSION_TASKS}-task session through the host: ${session.calls} calls (${session.failedCalls} failed) in ${(session.durationMs / 1000).toFixed(1)} s`);
  log(table([
    ['loads', 'unloads', 'evictions', 'budget', 'resident'],
    [String(session.backend.loads), String(session.backend.unloads), String(session.backend.evictions), session.backend.budgetBytes === null ? 'none' : mib(session.backend.budgetBytes), session.backend.resident.map((model) => `${model.modelId} (${model.roles.join('+')})`).join(', ')],
  ]));

  log('');
  log('c. memory per model: estimate (GgufInsights: weights and contexts) vs growth of a warmed-up host process across its first load and use');
  log(table([
    ['model', 'roles', 'context', 'estimated', 'measured', 'difference', 'js heap change', 'llama.cpp marks', 'load'],
    ...memory.map(({ model, measuredBytes, heapDeltaBytes }) => [
      model.modelId,
      model.roles.join('+'),
      String(model.contextSize),
      mib(model.estimatedBytes),
      mib(measuredBytes),
      `${signed(percentDifference(model.estimatedBytes, measuredBytes))}%`,
      mib(heapDeltaBytes),
      mib(model.measuredBytes),
      `${Math.round(model.loadMs)} ms`,
    ]),
  ]));
  log("   (llama.cpp marks: the backend's measuredBytes, node-llama-cpp's memory reservations, which are its estimates again)");

  targets.push({
    name: `tokens/s host >= ${TARGET_SPEED_RATIO} x in-process`,
    met: speedRatio >= TARGET_SPEED_RATIO,
    detail: `${speedRatio.toFixed(3)} (medians ${hostSpeed.toFixed(1)} vs ${inSpeed.toFixed(1)} tokens/s)`,
  });
  targets.push({
    name: `time to first token host <= in-process / ${TARGET_SPEED_RATIO}`,
    met: ttftRatio >= TARGET_SPEED_RATIO,
    detail: `${ttftRatio.toFixed(3)} as speed (medians ${hostTtft.toFixed(1)} vs ${inTtft.toFixed(1)} ms)`,
  });
  targets.push({
    name: `loads across the ${SESSION_TASKS}-task session = ${TARGET_LOADS} (one per distinct model)`,
    met: session.backend.loads === TARGET_LOADS && session.failedCalls === 0,
    detail: `${session.backend.loads} loads, ${session.backend.evictions} evictions, ${session.failedCalls} failed calls`,
  });
  for (const { model, measuredBytes: measured } of memory) {
    const difference = percentDifference(model.estimatedBytes, measured);
    targets.push({
      name: `memory estimate within ${TARGET_MEMORY_PERCENT}% of measured, ${model.modelId}`,
      met: Math.abs(difference) <= TARGET_MEMORY_PERCENT,
      detail: `${signed(difference)}% (${mib(model.estimatedBytes)} estimated, ${mib(measured)} measured)`,
    });
  }
  log('');
  for (const target of targets) log(`TARGET ${target.met ? 'MET    ' : 'NOT MET'} ${target.name}: ${target.detail}`);
  log(`(bench:runtime took ${((performance.now() - started) / 1000).toFixed(1)} s)`);
}

function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** How far the estimate is from the measurement, in percent of the measurement. */
function percentDifference(estimated: number, measured: number): number {
  return measured === 0 ? Number.POSITIVE_INFINITY : ((estimated - measured) / measured) * 100;
}

function signed(value: number): string {
  return `${value >= 0 ? '+' : ''}${value.toFixed(1)}`;
}

function mib(bytes: number): string {
  return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => `   ${row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ')}`.trimEnd()).join('\n');
}

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}
