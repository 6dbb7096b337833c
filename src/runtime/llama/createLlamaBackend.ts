import { realpath, stat } from 'node:fs/promises';
import {
  GgufInsights,
  getLlama,
  LlamaChatSession,
  readGgufFileInfo,
  TokenMeter,
  type GbnfJsonSchema,
  type Llama,
  type LlamaContext,
  type LlamaContextSequence,
  type LlamaGrammar,
  type LlamaModel,
} from 'node-llama-cpp';
import type { ModelRole } from '../../shared/modelRole.js';
import { modelRoleSchema } from '../../shared/modelRole.js';
import type { JsonGenerateRequest, JsonGenerateResult, JsonModelBackend } from '../backend/JsonModelBackend.js';
import { LlamaBackendDisposedError } from './LlamaBackendDisposedError.js';
import { LlamaCallAbortedError } from './LlamaCallAbortedError.js';
import { LlamaConfigError } from './LlamaConfigError.js';
import { LlamaModelLoadError } from './LlamaModelLoadError.js';
import { LlamaPromptTooLongError } from './LlamaPromptTooLongError.js';
import { toGrammarJsonSchema } from './toGrammarJsonSchema.js';

/** Which GGUF file serves a role, and how. */
export interface LlamaRoleOptions {
  /** Path of the GGUF file. Roles naming the same file (after resolving symlinks) share one loaded model. */
  modelPath: string;
  /** The name reported as `model` in results and by describe(). */
  modelId: string;
  /** This role's context window in tokens, prompt and output together; each role gets its own context. */
  contextSize: number;
  /**
   * Layers offloaded to the GPU: a count, `'max'` for all, 0 for CPU only. Pinned, never "auto": with
   * several resident models, automatic sizing would depend on load order. Roles sharing a file must agree.
   */
  gpuLayers: number | 'max';
  /** Sampling temperature when the request gives none; 0 is greedy. Default 0. */
  temperature?: number;
  /**
   * Output token cap when the request gives none. Default, and upper bound of any cap: the room the prompt
   * leaves in the context, so generation never shifts the context and never loses the prompt's start.
   */
  maxTokens?: number;
}

/** One loaded model file with the roles it serves. */
export interface LlamaResidentModel {
  /** The modelId of the first role (in brain, coder, qa order) that uses the file. */
  modelId: string;
  /** The file, symlinks resolved. */
  modelPath: string;
  roles: ModelRole[];
  /** Layers actually offloaded to the GPU. */
  gpuLayers: number;
  /** Tokens of context allocated for this model: the sum of its roles' context sizes. */
  contextSize: number;
  /** GgufInsights' estimate for the weights plus every context, RAM and VRAM together, in bytes. */
  estimatedBytes: number;
  /**
   * What llama.cpp reports it allocated for the weights and every context (RAM and VRAM buffers), in
   * bytes: the change of the Llama's memory usage across the load, so loads by other users of an
   * injected Llama at the same moment would count too.
   */
  measuredBytes: number;
  /**
   * Change of this process's resident set across the load, in bytes; the operating system's view, and a
   * noisy one: mapped weights count only once touched and freed memory is reused, so it can be far below
   * measuredBytes, even negative.
   */
  rssDeltaBytes: number;
  /** Wall time of loading the weights and creating the contexts, in milliseconds. */
  loadMs: number;
}

export interface LlamaBackendStats {
  /** Model files loaded since creation (a file shared by several roles counts once). */
  loads: number;
  /** Models unloaded since creation. */
  unloads: number;
  /** Models loaded now, in load order. */
  resident: LlamaResidentModel[];
}

/** The JsonModelBackend of createLlamaBackend, with its extras. */
export interface LlamaBackend extends JsonModelBackend {
  /**
   * One answer per temperature to the same request, generated one after another on the role's context,
   * each from a clean state and with the request's seed.
   */
  generateCandidates(
    request: JsonGenerateRequest,
    options: {
      /** Sampling temperatures, one candidate each, in this order. */
      temperatures: number[];
      signal?: AbortSignal;
      /** Receives each candidate's output text as it is generated, with the candidate's index. */
      onToken?: (text: string, index: number) => void;
    },
  ): Promise<JsonGenerateResult[]>;
  /** Load counters and what is resident now. */
  stats(): LlamaBackendStats;
  /**
   * Loads every model and creates every role's context now, one file after another in the order the
   * roles (brain, coder, qa) first name them. Calls do this themselves when needed; it is idempotent.
   */
  load(): Promise<void>;
  /** The loaded model and the role's own context, or null before loading; for inspection and tests. */
  loaded(role: ModelRole): { model: LlamaModel; context: LlamaContext } | null;
}

const BACKEND = 'llama.cpp';

interface RoleSlot {
  context: LlamaContext;
  sequence: LlamaContextSequence;
}

interface Resident {
  entry: LlamaResidentModel;
  model: LlamaModel;
  slots: Map<ModelRole, RoleSlot>;
}

/**
 * A JsonModelBackend that runs GGUF models in this process with node-llama-cpp. Roles naming the same
 * file share one loaded model, each role with its own context and sequence, so a role's call never
 * waits on another role's and nothing is loaded twice. Every call starts from an empty context, turns
 * the request's JSON Schema into a grammar, formats system and user prompt with the model's chat
 * template, and streams text to `onToken`. Output that runs into maxTokens before the grammar completes
 * comes back as it is (the adapter reports it as invalid output). Calls on one role run one at a time.
 * Throws LlamaModelLoadError when a file cannot be loaded, LlamaConfigError when roles sharing a file
 * disagree on gpuLayers, LlamaPromptTooLongError when a prompt leaves no room for output, and
 * LlamaCallAbortedError when the signal aborts or the backend is disposed.
 */
export function createLlamaBackend(options: {
  /** The model of each role. */
  roles: Record<ModelRole, LlamaRoleOptions>;
  /** The llama.cpp binding to use, owned by the caller. Default: `getLlama({ gpu: 'auto' })`, disposed with the backend. */
  llama?: Llama;
  /** CPU threads per context. Default: node-llama-cpp's (the cores useful for math). */
  threads?: number;
}): LlamaBackend {
  const { roles } = options;
  const disposed = new AbortController();
  const grammars = new Map<string, Promise<LlamaGrammar>>();
  const roleQueues = new Map<ModelRole, Promise<void>>();
  const inFlight = new Set<Promise<unknown>>();
  const residents: Resident[] = [];
  let llama: Llama | null = options.llama ?? null;
  let loading: Promise<void> | null = null;
  let loads = 0;
  let unloads = 0;

  const unloadAll = async () => {
    for (const resident of residents.splice(0)) {
      for (const slot of resident.slots.values()) await slot.context.dispose();
      await resident.model.dispose();
      unloads++;
    }
  };

  const loadAll = async () => {
    llama ??= await getLlama({ gpu: 'auto' });
    const groups = await groupRolesByFile(roles);
    try {
      for (const group of groups) {
        if (disposed.signal.aborted) throw new LlamaBackendDisposedError();
        residents.push(await loadGroup(llama, group, options.threads));
        loads++;
      }
    } catch (error) {
      await unloadAll();
      throw error;
    }
  };

  const load = async () => {
    if (disposed.signal.aborted) throw new LlamaBackendDisposedError();
    loading ??= loadAll().catch((error: unknown) => {
      loading = null;
      throw error;
    });
    await loading;
  };

  const slotOf = (role: ModelRole) => {
    for (const resident of residents) {
      const slot = resident.slots.get(role);
      if (slot) return { resident, slot };
    }
    return null;
  };

  /** Runs `work` after every earlier call on the role has finished; waiting gives up when `signal` aborts. */
  const exclusive = async <T>(role: ModelRole, signal: AbortSignal, work: () => Promise<T>): Promise<T> => {
    const previous = roleQueues.get(role) ?? Promise.resolve();
    let release!: () => void;
    const current = new Promise<void>((resolve) => (release = resolve));
    roleQueues.set(role, previous.then(() => current));
    try {
      await untilAborted(previous, signal);
      return await work();
    } finally {
      release();
    }
  };

  const generateOne = async (
    request: JsonGenerateRequest,
    temperature: number | undefined,
    signal: AbortSignal | undefined,
    onToken: ((text: string) => void) | undefined,
  ): Promise<JsonGenerateResult> => {
    const started = performance.now();
    const settings = roles[request.role];
    const callSignal = signal ? AbortSignal.any([signal, disposed.signal]) : disposed.signal;
    let outputTokens = 0;
    const aborted = () =>
      new LlamaCallAbortedError({ role: request.role, promptId: request.promptId, reason: disposed.signal.aborted ? 'disposed' : 'signal', outputTokens });
    if (callSignal.aborted) throw aborted();
    const call = (async () => {
      await untilAborted(load(), callSignal);
      return exclusive(request.role, callSignal, async () => {
        const found = slotOf(request.role);
        if (!found) throw aborted();
        const { resident, slot } = found;
        const grammar = await grammarFor(resident.model.llama, request.jsonSchema);
        await slot.sequence.clearHistory();
        const session = new LlamaChatSession({ contextSequence: slot.sequence, systemPrompt: request.system, autoDisposeSequence: false });
        try {
          const promptTokens = session.chatWrapper
            .generateContextState({ chatHistory: [...session.getChatHistory(), { type: 'user', text: request.user }, { type: 'model', response: [] }] })
            .contextText.tokenize(resident.model.tokenizer).length;
          const room = slot.context.contextSize - promptTokens;
          if (room < 1) {
            throw new LlamaPromptTooLongError({ role: request.role, promptId: request.promptId, promptTokens, contextSize: slot.context.contextSize });
          }
          const meterBefore = slot.sequence.tokenMeter.getState();
          let firstTokenAt: number | null = null;
          const seed = request.seed;
          const response = await session.promptWithMeta(request.user, {
            grammar,
            maxTokens: Math.min(request.maxTokens ?? settings.maxTokens ?? room, room),
            temperature: temperature ?? settings.temperature ?? 0,
            ...(seed === undefined ? {} : { seed }),
            // Code and JSON repeat tokens by nature; penalising repeats corrupts both.
            repeatPenalty: false,
            signal: callSignal,
            onToken: (tokens) => {
              firstTokenAt ??= performance.now();
              outputTokens += tokens.length;
            },
            ...(onToken ? { onTextChunk: onToken } : {}),
          });
          const finished = performance.now();
          return {
            text: response.responseText,
            model: settings.modelId,
            backend: BACKEND,
            usage: {
              promptTokens,
              outputTokens: TokenMeter.diff(slot.sequence.tokenMeter, meterBefore).usedOutputTokens,
              durationMs: finished - started,
              timeToFirstTokenMs: firstTokenAt === null ? null : firstTokenAt - started,
            },
          };
        } finally {
          session.dispose({ disposeSequence: false });
        }
      });
    })();
    inFlight.add(call);
    try {
      return await call;
    } catch (error) {
      if (callSignal.aborted && !(error instanceof LlamaCallAbortedError)) throw aborted();
      throw error;
    } finally {
      inFlight.delete(call);
    }
  };

  const grammarFor = (owner: Llama, jsonSchema: Record<string, unknown>) => {
    const key = JSON.stringify(jsonSchema);
    let grammar = grammars.get(key);
    if (!grammar) {
      grammar = owner.createGrammarForJsonSchema<GbnfJsonSchema>(toGrammarJsonSchema({ schema: jsonSchema }));
      grammars.set(key, grammar);
    }
    return grammar;
  };

  return {
    generate: (request, callOptions) => generateOne(request, request.temperature, callOptions?.signal, callOptions?.onToken),

    async generateCandidates(request, candidateOptions) {
      const results: JsonGenerateResult[] = [];
      for (const [index, temperature] of candidateOptions.temperatures.entries()) {
        const onToken = candidateOptions.onToken;
        results.push(await generateOne(request, temperature, candidateOptions.signal, onToken ? (text) => onToken(text, index) : undefined));
      }
      return results;
    },

    describe: (role) => ({ model: roles[role].modelId, backend: BACKEND }),

    stats: () => ({
      loads,
      unloads,
      resident: residents.map(({ entry }) => ({ ...entry, roles: [...entry.roles] })),
    }),

    load,

    loaded(role) {
      const found = slotOf(role);
      return found ? { model: found.resident.model, context: found.slot.context } : null;
    },

    async dispose() {
      if (disposed.signal.aborted) return;
      disposed.abort();
      await Promise.allSettled([...inFlight, ...(loading ? [loading] : [])]);
      await unloadAll();
      grammars.clear();
      if (llama && !options.llama) await llama.dispose();
    },
  };
}

interface RoleGroup {
  modelPath: string;
  configuredPath: string;
  roles: ModelRole[];
  settings: LlamaRoleOptions[];
}

/** Groups roles by resolved file, in the order brain, coder, qa first name each file. */
async function groupRolesByFile(roles: Record<ModelRole, LlamaRoleOptions>): Promise<RoleGroup[]> {
  const groups = new Map<string, RoleGroup>();
  for (const role of modelRoleSchema.options) {
    const settings = roles[role];
    let modelPath: string;
    try {
      modelPath = await realpath(settings.modelPath);
    } catch (error) {
      throw new LlamaModelLoadError({ modelPath: settings.modelPath, roles: [role], step: 'open', cause: error });
    }
    const group = groups.get(modelPath);
    if (!group) {
      groups.set(modelPath, { modelPath, configuredPath: settings.modelPath, roles: [role], settings: [settings] });
      continue;
    }
    if (group.settings[0]!.gpuLayers !== settings.gpuLayers) {
      throw new LlamaConfigError({
        problem: `${group.roles[0]} and ${role} share ${modelPath} but ask for gpuLayers ${String(group.settings[0]!.gpuLayers)} and ${String(settings.gpuLayers)}`,
        roles: [group.roles[0]!, role],
      });
    }
    group.roles.push(role);
    group.settings.push(settings);
  }
  return [...groups.values()];
}

/** Loads one file and its roles' contexts, estimating memory first and measuring it around the load. */
async function loadGroup(llama: Llama, group: RoleGroup, threads: number | undefined): Promise<Resident> {
  const fail = (step: 'read-metadata' | 'validate' | 'load' | 'create-context', cause: unknown) =>
    new LlamaModelLoadError({ modelPath: group.configuredPath, roles: group.roles, step, cause });
  const first = group.settings[0]!;
  let insights: GgufInsights;
  try {
    insights = await GgufInsights.from(await readGgufFileInfo(group.modelPath), llama);
  } catch (error) {
    throw fail('read-metadata', error);
  }
  const unusable = findUnusable(insights, (await stat(group.modelPath)).size);
  if (unusable) throw fail('validate', new Error(unusable));
  const gpuLayers = !llama.supportsGpuOffloading ? 0 : first.gpuLayers === 'max' ? insights.totalLayers : Math.min(first.gpuLayers, insights.totalLayers);
  const modelEstimate = await insights.estimateModelResourceRequirementsV2({ gpuLayers });
  let estimatedBytes = modelEstimate.cpuRam + modelEstimate.gpuVram;
  for (const settings of group.settings) {
    const contextEstimate = await insights.estimateContextResourceRequirementsV2({ contextSize: settings.contextSize, modelGpuLayers: gpuLayers, sequences: 1 });
    estimatedBytes += contextEstimate.cpuRam + contextEstimate.gpuVram;
  }

  const llamaBefore = await llama.getLlamaMemoryUsage();
  const rssBefore = process.memoryUsage().rss;
  const started = performance.now();
  let model: LlamaModel;
  try {
    model = await llama.loadModel({ modelPath: group.modelPath, gpuLayers });
  } catch (error) {
    throw fail('load', error);
  }
  const slots = new Map<ModelRole, RoleSlot>();
  try {
    for (const [index, role] of group.roles.entries()) {
      const context = await model.createContext({ contextSize: group.settings[index]!.contextSize, sequences: 1, ...(threads === undefined ? {} : { threads }) });
      slots.set(role, { context, sequence: context.getSequence() });
    }
  } catch (error) {
    for (const slot of slots.values()) await slot.context.dispose();
    await model.dispose();
    throw fail('create-context', error);
  }
  const loadMs = performance.now() - started;
  const rssDeltaBytes = process.memoryUsage().rss - rssBefore;
  const llamaAfter = await llama.getLlamaMemoryUsage();
  const measuredBytes = llamaAfter.cpuRam - llamaBefore.cpuRam + (llamaAfter.gpuVram - llamaBefore.gpuVram);
  const entry: LlamaResidentModel = {
    modelId: first.modelId,
    modelPath: group.modelPath,
    roles: group.roles,
    gpuLayers: model.gpuLayers,
    contextSize: group.settings.reduce((sum, settings) => sum + settings.contextSize, 0),
    estimatedBytes,
    measuredBytes,
    rssDeltaBytes,
    loadMs,
  };
  return { entry, model, slots };
}

/**
 * Why llama.cpp would refuse the file, or null. Checked here because a load that fails in native code
 * leaves node-llama-cpp holding a disposal lock for the failed model, so the Llama can no longer be
 * disposed; a truncated download and an unknown architecture are the usual causes.
 */
function findUnusable(insights: GgufInsights, fileSize: number): string | null {
  const info = insights.ggufFileInfo;
  if (!insights.isSupportedByLlamaCpp) return `its architecture "${info.metadata.general.architecture}" is not supported by this llama.cpp build`;
  const [first] = info.fullTensorInfo ?? [];
  if (info.splicedParts !== 1 || !first) return null;
  const dataStart = Number(BigInt(first.fileOffset) - BigInt(first.offset));
  // The unmapped estimate is the plain sum of the tensors' sizes, which the data section holds at least.
  const needed = dataStart + insights.estimateModelResourceRequirements({ gpuLayers: 0, useMmap: false }).cpuRam;
  return fileSize < needed ? `it is truncated: ${fileSize} bytes where its tensors need at least ${needed}` : null;
}

/** Resolves like `promise`, or rejects as soon as `signal` aborts (the promise itself keeps running). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
