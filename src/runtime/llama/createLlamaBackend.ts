import {
  getLlama,
  LlamaChatSession,
  TokenMeter,
  type GbnfJsonSchema,
  type Llama,
  type LlamaContext,
  type LlamaContextSequence,
  type LlamaEmbeddingContext,
  type LlamaGrammar,
  type LlamaModel,
} from 'node-llama-cpp';
import type { JsonGenerateRequest } from '../../shared/model/JsonGenerateRequest.js';
import type { EmbeddingResult } from '../../shared/modelHostProtocol.js';
import type { ModelRole } from '../../shared/modelRole.js';
import type { JsonGenerateResult } from '../../shared/model/JsonGenerateResult.js';
import { createResidencyManager, type ResidencyLease, type ResidencyManager } from '../placement/createResidencyManager.js';
import { ModelCannotFitError } from '../placement/ModelCannotFitError.js';
import { ResidencyError } from '../placement/ResidencyError.js';
import { allRoles } from './allRoles.js';
import { allSettings } from './allSettings.js';
import { EMBEDDING_ROLE } from './EMBEDDING_ROLE.js';
import { EmbeddingNotConfiguredError } from './EmbeddingNotConfiguredError.js';
import { firstRole } from './firstRole.js';
import { groupRolesByFile } from './groupRolesByFile.js';
import type { InspectedGroup } from './InspectedGroup.js';
import { inspectGroup } from './inspectGroup.js';
import type { LlamaBackend } from './LlamaBackend.js';
import { LlamaBackendDisposedError } from './LlamaBackendDisposedError.js';
import { LlamaCallAbortedError } from './LlamaCallAbortedError.js';
import { LlamaConfigError } from './LlamaConfigError.js';
import { LlamaModelLoadError } from './LlamaModelLoadError.js';
import { LlamaPromptTooLongError } from './LlamaPromptTooLongError.js';
import type { LlamaResidentModel } from './LlamaResidentModel.js';
import type { LlamaRoleOptions } from './LlamaRoleOptions.js';
import type { SlotRole } from './SlotRole.js';
import { toGrammarJsonSchema } from './toGrammarJsonSchema.js';
import { createSerialQueue } from '../../shared/createSerialQueue.js';

const BACKEND = 'llama.cpp';
/** Load records kept for stats(), so a long night of swapping does not grow them without end. */
const LOAD_RECORD_LIMIT = 64;

interface RoleSlot {
  context: LlamaContext;
  sequence: LlamaContextSequence;
}

interface Resident {
  entry: LlamaResidentModel;
  model: LlamaModel;
  slots: Map<ModelRole, RoleSlot>;
  /** The embedding role's context, when this file serves it. */
  embedding: LlamaEmbeddingContext | null;
}

/** The residency policy over the inspected files, built on first use when budgetBytes is set. */
interface Policy {
  manager: ResidencyManager;
  /** The model files in the order load() loads them; on-demand ones included. */
  inspected: InspectedGroup[];
}

/**
 * A JsonModelBackend that runs GGUF models in this process with node-llama-cpp. Roles naming the same
 * file share one loaded model, each role with its own context and sequence, so a role's call never
 * waits on another role's and nothing is loaded twice. Every call starts from an empty context, turns
 * the request's JSON Schema into a grammar, formats system and user prompt with the model's chat
 * template, and streams text to `onToken`. Output that runs into maxTokens before the grammar completes
 * comes back as it is (the adapter reports it as invalid output). Calls on one role run one at a time.
 *
 * Without budgetBytes every model loads up front and stays until dispose(). With it, the resident set
 * follows the placement plan at run time through createResidencyManager: a call leases its role's model
 * for its duration, loading it if needed after evicting idle unpinned models, least recently used first;
 * a model in use is never evicted, so a call whose model fits only once a busy model is released waits
 * for that release (as long as its signal allows); a model that could not fit even with every unpinned
 * model gone is refused up front with ModelCannotFitError, evicting nothing, so nothing is evicted and
 * reloaded in a loop. Models that fit stay loaded across calls.
 *
 * Throws LlamaModelLoadError when a file cannot be loaded, LlamaConfigError when roles sharing a file
 * disagree on gpuLayers (or, with budgetBytes, distinct files share a modelId), LlamaPromptTooLongError
 * when a prompt leaves no room for output, ModelCannotFitError as above, and LlamaCallAbortedError when
 * the signal aborts or the backend is disposed.
 */
export function createLlamaBackend(options: {
  /** The model of each role. */
  roles: Record<ModelRole, LlamaRoleOptions>;
  /**
   * The embedding model, for embed(); its temperature and maxTokens are unused. A file it shares with
   * other roles is loaded once, with an embedding context of its own beside theirs. Default: none, and
   * embed() throws EmbeddingNotConfiguredError.
   */
  embedding?: LlamaRoleOptions;
  /** The llama.cpp binding to use, owned by the caller. Default: `getLlama({ gpu: 'auto' })`, disposed with the backend. */
  llama?: Llama;
  /** CPU threads per context. Default: node-llama-cpp's (the cores useful for math). */
  threads?: number;
  /**
   * Bytes all loaded models may take together (a PlacementPlan's budgetBytes), weights and contexts in
   * RAM and VRAM: each model counts GgufInsights' estimate until it is loaded, then the larger of that
   * and what llama.cpp measured. Default: no budget; every model loads up front and stays.
   */
  budgetBytes?: number;
}): LlamaBackend {
  const { roles, embedding, budgetBytes } = options;
  const disposed = new AbortController();
  const grammars = new Map<string, Promise<LlamaGrammar>>();
  const roleQueues = createSerialQueue<SlotRole>();
  const inFlight = new Set<Promise<unknown>>();
  /** Loaded models by resolved file, in load order. */
  const residents = new Map<string, Resident>();
  const loadRecords: LlamaResidentModel[] = [];
  let llama: Llama | null = options.llama ?? null;
  let loading: Promise<void> | null = null;
  let policy: Promise<Policy> | null = null;
  let manager: ResidencyManager | null = null;
  let loads = 0;
  let unloads = 0;
  let leaseReleased = signalled();

  const loadResident = async (inspected: InspectedGroup) => {
    if (disposed.signal.aborted) throw new LlamaBackendDisposedError();
    const resident = await loadInspected(llama!, inspected, options.threads);
    residents.set(inspected.group.modelPath, resident);
    loads++;
    loadRecords.push(copyEntry(resident.entry));
    if (loadRecords.length > LOAD_RECORD_LIMIT) loadRecords.shift();
    return resident;
  };

  const unloadResident = async (modelPath: string) => {
    const resident = residents.get(modelPath);
    if (!resident) return;
    residents.delete(modelPath);
    for (const slot of resident.slots.values()) await slot.context.dispose();
    await resident.embedding?.dispose();
    await resident.model.dispose();
    unloads++;
  };

  const unloadAll = async () => {
    for (const modelPath of [...residents.keys()]) await unloadResident(modelPath);
  };

  const loadAll = async () => {
    llama ??= await getLlama({ gpu: 'auto' });
    const groups = await groupRolesByFile({ roles, ...(embedding ? { embedding } : {}) });
    try {
      for (const group of groups) {
        if (disposed.signal.aborted) throw new LlamaBackendDisposedError();
        await loadResident(await inspectGroup({ llama, group }));
      }
    } catch (error) {
      await unloadAll();
      throw error;
    }
  };

  const buildPolicy = async (budget: number): Promise<Policy> => {
    llama ??= await getLlama({ gpu: 'auto' });
    const groups = await groupRolesByFile({ roles, ...(embedding ? { embedding } : {}) });
    const inspected: InspectedGroup[] = [];
    for (const group of groups) {
      if (disposed.signal.aborted) throw new LlamaBackendDisposedError();
      const clash = inspected.find((other) => other.modelId === group.modelId);
      if (clash) {
        throw new LlamaConfigError({
          problem: `${firstRole(clash.group)} and ${firstRole(group)} name different files (${clash.group.modelPath}, ${group.modelPath}) with the same modelId ${group.modelId}`,
          roles: [firstRole(clash.group), firstRole(group)],
        });
      }
      inspected.push(await inspectGroup({ llama, group }));
    }
    inspected.sort((a, b) => Number(b.pinned) - Number(a.pinned) || b.priority - a.priority);
    const byId = new Map(inspected.map((model) => [model.modelId, model]));
    manager = createResidencyManager({
      budgetBytes: budget,
      models: Object.fromEntries(inspected.map((model) => [model.modelId, { estimatedBytes: model.estimatedBytes, pinned: model.pinned }])),
      load: async (modelId) => {
        await loadResident(byId.get(modelId)!);
      },
      unload: (modelId) => unloadResident(byId.get(modelId)!.group.modelPath),
      // Never below the estimate: the plan that chose the budget counted estimates.
      measure: (modelId) => {
        const model = byId.get(modelId)!;
        return Math.max(model.estimatedBytes, residents.get(model.group.modelPath)?.entry.measuredBytes ?? 0);
      },
    });
    return { manager, inspected };
  };

  const preparePolicy = (budget: number) => {
    if (disposed.signal.aborted) return Promise.reject(new LlamaBackendDisposedError());
    policy ??= buildPolicy(budget).catch((error: unknown) => {
      policy = null;
      throw error;
    });
    return policy;
  };

  /** The lease, releasing which wakes the calls waiting for a busy model. */
  const announced = (lease: ResidencyLease): ResidencyLease => {
    let released = false;
    return {
      modelId: lease.modelId,
      release: () => {
        if (released) return;
        released = true;
        lease.release();
        leaseReleased.resolve();
        leaseReleased = signalled();
      },
    };
  };

  const loadWithinBudget = async (budget: number) => {
    const { manager: residency, inspected } = await preparePolicy(budget);
    const pinned = inspected.filter((model) => model.pinned);
    for (const model of inspected) {
      const beside = pinned.filter((other) => other !== model);
      if (model.estimatedBytes + beside.reduce((sum, other) => sum + other.estimatedBytes, 0) > budget) {
        throw new ModelCannotFitError({
          modelId: model.modelId,
          requiredBytes: model.estimatedBytes,
          budgetBytes: budget,
          pinned: beside.map((other) => ({ modelId: other.modelId, bytes: other.estimatedBytes })),
        });
      }
    }
    for (const model of inspected) {
      if (disposed.signal.aborted) throw new LlamaBackendDisposedError();
      if (model.onDemand || residents.has(model.group.modelPath)) continue;
      if (residency.usedBytes() + model.estimatedBytes > budget) continue;
      announced(await residency.acquire(model.modelId)).release();
    }
  };

  const load = async () => {
    if (disposed.signal.aborted) throw new LlamaBackendDisposedError();
    loading ??= (budgetBytes === undefined ? loadAll() : loadWithinBudget(budgetBytes)).catch((error: unknown) => {
      loading = null;
      throw error;
    });
    await loading;
  };

  /**
   * Leases the model serving `role`, loading it within the budget. When only models in use stand in the
   * way, waits for a lease to be released and asks again, until `signal` aborts.
   */
  const leaseFor = async (role: SlotRole, budget: number, signal: AbortSignal): Promise<ResidencyLease> => {
    const { manager: residency, inspected } = await untilAborted(preparePolicy(budget), signal);
    const { modelId } = inspected.find((model) => (role === EMBEDDING_ROLE ? model.group.embedding !== null : model.group.roles.includes(role)))!;
    for (;;) {
      const released = leaseReleased.promise;
      const acquiring = residency.acquire(modelId);
      try {
        return announced(await untilAborted(acquiring, signal));
      } catch (error) {
        // An abandoned request may still load the model: let the lease go once it does, or it stays unevictable.
        if (signal.aborted) acquiring.then((lease) => announced(lease).release(), () => undefined);
        if (!(error instanceof ResidencyError && error.code === 'RESIDENCY_BUSY')) throw error;
      }
      await untilAborted(released, signal);
    }
  };

  const slotOf = (role: ModelRole) => {
    for (const resident of residents.values()) {
      const slot = resident.slots.get(role);
      if (slot) return { resident, slot };
    }
    return null;
  };

  /** Runs `work` after every earlier call on the role has finished; waiting gives up when `signal` aborts. */
  const exclusive = <T>(role: SlotRole, signal: AbortSignal, work: () => Promise<T>): Promise<T> => roleQueues.run({ key: role, signal, work });

  /**
   * The frame of every call: models loaded (or, under a budget, a lease on the role's model), one call at a
   * time per role, tracked so dispose() can wait for it, and any failure after an abort reported as the abort.
   */
  const runCall = async <T>(role: SlotRole, callSignal: AbortSignal, aborted: () => LlamaCallAbortedError, work: () => Promise<T>): Promise<T> => {
    const call = (async () => {
      if (budgetBytes === undefined) await untilAborted(load(), callSignal);
      return exclusive(role, callSignal, async () => {
        const lease = budgetBytes === undefined ? null : await leaseFor(role, budgetBytes, callSignal);
        try {
          return await work();
        } finally {
          lease?.release();
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
    const generateOnSlot = async (resident: Resident, slot: RoleSlot): Promise<JsonGenerateResult> => {
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
    };

    return runCall(request.role, callSignal, aborted, async () => {
      const found = slotOf(request.role);
      if (!found) throw aborted();
      return generateOnSlot(found.resident, found.slot);
    });
  };

  const embedTexts = async (texts: string[], signal: AbortSignal | undefined): Promise<EmbeddingResult> => {
    if (!embedding) throw new EmbeddingNotConfiguredError();
    const started = performance.now();
    const callSignal = signal ? AbortSignal.any([signal, disposed.signal]) : disposed.signal;
    const promptId = `embed(${texts.length})`;
    const aborted = () => new LlamaCallAbortedError({ role: EMBEDDING_ROLE, promptId, reason: disposed.signal.aborted ? 'disposed' : 'signal', outputTokens: 0 });
    if (callSignal.aborted) throw aborted();
    return runCall(EMBEDDING_ROLE, callSignal, aborted, async () => {
      const context = [...residents.values()].find((resident) => resident.embedding)?.embedding;
      if (!context) throw aborted();
      const vectors: number[][] = [];
      let promptTokens = 0;
      // getEmbeddingFor takes no signal, so cancellation lands between texts.
      for (const text of texts) {
        if (callSignal.aborted) throw aborted();
        promptTokens += context.calculateInputLength(text);
        vectors.push([...(await context.getEmbeddingFor(text)).vector]);
      }
      return { model: embedding.modelId, vectors, usage: { promptTokens, durationMs: performance.now() - started } };
    });
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

    embed: (embedOptions) => embedTexts(embedOptions.texts, embedOptions.signal),

    stats: () => ({
      loads,
      unloads,
      evictions: manager?.stats().evictions ?? 0,
      budgetBytes: budgetBytes ?? null,
      resident: [...residents.values()].map(({ entry }) => copyEntry(entry)),
      loadRecords: loadRecords.map(copyEntry),
    }),

    load,

    loaded(role) {
      const found = slotOf(role);
      return found ? { model: found.resident.model, context: found.slot.context } : null;
    },

    async dispose() {
      if (disposed.signal.aborted) return;
      disposed.abort();
      await Promise.allSettled([...inFlight, ...(loading ? [loading] : []), ...(policy ? [policy] : [])]);
      // The manager unloads only after the requests queued before it, abandoned ones included, are through.
      if (manager) await manager.dispose();
      await unloadAll();
      grammars.clear();
      if (llama && !options.llama) await llama.dispose();
    },
  };
}

/** A promise with its resolve function, to wake whoever waits for the next event. */
function signalled(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

function copyEntry(entry: LlamaResidentModel): LlamaResidentModel {
  return { ...entry, roles: [...entry.roles] };
}

/** Loads an inspected file and its roles' contexts, measuring memory around the load. */
async function loadInspected(llama: Llama, inspected: InspectedGroup, threads: number | undefined): Promise<Resident> {
  const { group, gpuLayers, estimatedBytes } = inspected;
  const fail = (step: 'load' | 'create-context', cause: unknown) => new LlamaModelLoadError({ modelPath: group.configuredPath, roles: allRoles(group), step, cause });
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
  let embedding: LlamaEmbeddingContext | null = null;
  try {
    for (const [index, role] of group.roles.entries()) {
      const context = await model.createContext({ contextSize: group.settings[index]!.contextSize, sequences: 1, ...(threads === undefined ? {} : { threads }) });
      slots.set(role, { context, sequence: context.getSequence() });
    }
    if (group.embedding) {
      embedding = await model.createEmbeddingContext({ contextSize: group.embedding.contextSize, ...(threads === undefined ? {} : { threads }) });
    }
  } catch (error) {
    for (const slot of slots.values()) await slot.context.dispose();
    await embedding?.dispose();
    await model.dispose();
    throw fail('create-context', error);
  }
  const loadMs = performance.now() - started;
  const rssDeltaBytes = process.memoryUsage().rss - rssBefore;
  const llamaAfter = await llama.getLlamaMemoryUsage();
  const measuredBytes = llamaAfter.cpuRam - llamaBefore.cpuRam + (llamaAfter.gpuVram - llamaBefore.gpuVram);
  const entry: LlamaResidentModel = {
    modelId: group.modelId,
    modelPath: group.modelPath,
    roles: group.roles,
    servesEmbedding: group.embedding !== null,
    gpuLayers: model.gpuLayers,
    contextSize: allSettings(group).reduce((sum, settings) => sum + settings.contextSize, 0),
    estimatedBytes,
    measuredBytes,
    rssDeltaBytes,
    loadMs,
  };
  return { entry, model, slots, embedding };
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
