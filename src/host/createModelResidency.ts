import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Clock } from '../engine/ports/Clock.js';
import { decodeTokensPerSecond } from '../runtime/backend/decodeTokensPerSecond.js';
import type { ModelHost, ModelHostEvent } from '../runtime/host/ModelHost.js';
import { createSerialQueue } from '../shared/createSerialQueue.js';
import type { EngineEvent } from '../shared/engineEventSchema.js';
import { modelRoleSchema, type ModelRole } from '../shared/modelRole.js';
import type { PhaseName } from '../shared/phaseName.js';
import type { ModelTryResult, ResidencyReport, ResidentModelSummary } from '../shared/protocol.js';
import { ModelInUseError } from './ModelInUseError.js';
import { ModelNotLoadedError } from './ModelNotLoadedError.js';
import { ModelResidencyClosedError } from './ModelResidencyClosedError.js';

const ROLES = modelRoleSchema.options;
const TRY_PROMPT_ID = 'models-try@1';
/** The phase each role usually plays, sent as the call's meta, as `nightshift models try` does. */
const PHASE: Record<ModelRole, PhaseName> = { brain: 'plan', coder: 'green', qa: 'review' };
/** Every backend constrains output to JSON; free text is a JSON string. */
const FREE_TEXT_SCHEMA = { type: 'string' };

/** Which GGUF file to load: the one a role uses (from the host's file or the profile), or a given file. */
export interface ModelTarget {
  /** The role whose model is meant; ignored when `ggufFile` is given. Default `coder`. */
  role?: ModelRole;
  /** A GGUF file to load as it is, every role served by it. */
  ggufFile?: string;
  /** The opened project whose nightshift.models.json overrides the catalog profile. */
  projectDir?: string;
}

/** The app's own model host: what the Models view loads, unloads, pins and tries, outside any session. */
export interface ModelResidency {
  /** What is loaded now and the counters; `session` is the note to show while a session runs. */
  report(options: { session: string | null }): ResidencyReport;
  /** Loads the target's file unless it is loaded, first unloading every other model that is neither pinned nor busy. */
  load(target: ModelTarget): Promise<void>;
  /** Unloads a loaded model. Throws ModelNotLoadedError, or ModelInUseError while a try call runs on it. */
  unload(options: { modelId: string }): Promise<void>;
  /** Pins or unpins a loaded model: a pinned model stays when another one loads. Throws ModelNotLoadedError. */
  pin(options: { modelId: string; pinned: boolean }): void;
  /**
   * Runs one prompt through the target's model (loading it first), publishing each token as a
   * `models/try-token` event and the figures as `models/try-finished`, both carrying `tryId`.
   */
  tryPrompt(options: ModelTarget & { tryId: string; prompt: string; system?: string; maxTokens?: number }): Promise<ModelTryResult>;
  /** Ends every model process. */
  dispose(): Promise<void>;
}

interface Loaded {
  /** The file, symlinks resolved; the key models are kept under. */
  file: string;
  host: ModelHost;
  roles: ModelRole[];
  summary: Omit<ResidentModelSummary, 'pinned' | 'busy' | 'roles'>;
  pinned: boolean;
  /** Try calls generating on it now. */
  busy: number;
}

/**
 * Keeps the app's model processes: one per loaded GGUF file, each built with createLocalModelHost (as
 * `--models local:FILE.gguf` builds it), so a llama.cpp crash takes down only that model. A role's file
 * comes from `modelFile` when the host was given one, else from the project's or the machine's profile
 * (planLocalModels); the profile picks the file only, which then loads with `local:FILE.gguf`'s settings
 * (its trained context up to 16,384 tokens per role, every layer offloaded), not the plan's. Loading is LM Studio's single-model habit plus pins: a new model first evicts every
 * other model that is neither pinned nor answering a try call, so at most one unpinned model is resident.
 * Loads, unloads and evictions run one at a time.
 */
export function createModelResidency(options: {
  /** Nightshift's data directory, where the profile's models are found. */
  dataDir: string;
  /** A GGUF file serving every role; null to use the profile. */
  modelFile: string | null;
  clock: Clock;
  /** Where try tokens and model-process crashes go (the host's event fan-out). */
  publish: (event: EngineEvent) => void;
  /** Where NIGHTSHIFT_LLAMA_THREADS is read. Default: process.env. */
  env?: Record<string, string | undefined>;
}): ModelResidency {
  const { dataDir, clock, publish } = options;
  const loaded = new Map<string, Loaded>();
  const counters = { loads: 0, unloads: 0, evictions: 0, failedLoads: 0 };
  const queue = createSerialQueue<'residency'>();
  let disposed = false;

  const byModelId = (modelId: string): Loaded => {
    const model = [...loaded.values()].find((candidate) => candidate.summary.modelId === modelId);
    if (!model) throw new ModelNotLoadedError({ modelId, loaded: [...loaded.values()].map((candidate) => candidate.summary.modelId) });
    return model;
  };

  const realFile = (path: string): string => {
    try {
      return realpathSync(path);
    } catch {
      return resolve(path);
    }
  };

  /** The file to load and the roles it serves. */
  const resolveTarget = async (target: ModelTarget): Promise<{ file: string; roles: ModelRole[] }> => {
    const modelFile = options.modelFile === null ? null : realFile(options.modelFile);
    if (target.ggufFile !== undefined) {
      const file = realFile(target.ggufFile);
      return { file, roles: file === modelFile ? [...ROLES] : [] };
    }
    if (modelFile !== null) return { file: modelFile, roles: [...ROLES] };
    // node-llama-cpp loads with the first model, not with the host.
    const { planLocalModels } = await import('../runtime/local/planLocalModels.js');
    const { spec } = await planLocalModels({ dataDir, ...(target.projectDir ? { projectDir: target.projectDir } : {}) });
    const file = realFile(spec.roles[target.role ?? 'coder'].modelPath);
    return { file, roles: ROLES.filter((role) => realFile(spec.roles[role].modelPath) === file) };
  };

  const unloadNow = async (model: Loaded) => {
    loaded.delete(model.file);
    await model.host.dispose();
    counters.unloads += 1;
  };

  /** A model process that died took its model with it: it is no longer resident, and is not restarted. */
  const crashed = (file: string, event: Extract<ModelHostEvent, { type: 'crash' }>) => {
    const model = loaded.get(file);
    if (!model) return;
    loaded.delete(file);
    void model.host.dispose();
    const exit = event.signal ? `signal ${event.signal}` : `exit code ${String(event.exitCode)}`;
    publish({
      type: 'process/crashed',
      at: clock.now(),
      process: 'model-host',
      exitCode: event.exitCode,
      signal: event.signal,
      detail: event.stderrTail?.trim() || `The app's model process for ${model.summary.modelId} ended (${exit}); load it again to use it.`,
      restarting: false,
    });
  };

  /** Loads the target's file unless loaded; with `lease`, marks it busy before any later request can evict it. */
  const loadTarget = (target: ModelTarget, lease: boolean): Promise<Loaded> =>
    queue.run({
      key: 'residency',
      work: async () => {
        if (disposed) throw new ModelResidencyClosedError();
        const { file, roles } = await resolveTarget(target);
        const model = loaded.get(file) ?? (await loadFile(file, roles));
        if (lease) model.busy += 1;
        return model;
      },
    });

  /** Plans the file (a missing or unreadable one is refused here, before anything is evicted), makes room, loads it. */
  const loadFile = async (file: string, roles: ModelRole[]): Promise<Loaded> => {
    let host: ModelHost | null = null;
    try {
      const { createLocalModelHost } = await import('../runtime/local/createLocalModelHost.js');
      host = await createLocalModelHost({
        modelPath: file,
        dataDir,
        ...(options.env ? { env: options.env } : {}),
        onWarning: () => {},
        onEvent: (event) => {
          if (event.type === 'crash') crashed(file, event);
        },
      });
      for (const other of [...loaded.values()]) {
        if (other.pinned || other.busy > 0) continue;
        await unloadNow(other);
        counters.evictions += 1;
      }
      const started = performance.now();
      await host.start();
      const loadMs = Math.round(performance.now() - started);
      if (disposed) throw new ModelResidencyClosedError();
      const resident = (await host.stats())?.backend?.resident[0];
      const described = host.describe(roles[0] ?? 'coder');
      const model: Loaded = {
        file,
        host,
        roles,
        pinned: false,
        busy: 0,
        summary: {
          modelId: resident?.modelId ?? described.model,
          file,
          contextSize: resident?.contextSize ?? 0,
          estimatedBytes: resident?.estimatedBytes ?? 0,
          measuredBytes: resident?.measuredBytes ?? null,
          loadedAt: clock.now(),
          loadMs: resident ? Math.round(resident.loadMs) : loadMs,
          pid: host.pid(),
        },
      };
      loaded.set(file, model);
      counters.loads += 1;
      return model;
    } catch (error) {
      counters.failedLoads += 1;
      await host?.dispose();
      throw error;
    }
  };

  return {
    report: ({ session }) => ({
      source: options.modelFile === null ? { kind: 'profile' } : { kind: 'gguf', file: realFile(options.modelFile) },
      models: [...loaded.values()].map((model) => ({ ...model.summary, roles: model.roles, pinned: model.pinned, busy: model.busy > 0 })),
      counters: { ...counters },
      session,
    }),

    load: async (target) => {
      await loadTarget(target, false);
    },

    unload: ({ modelId }) =>
      queue.run({
        key: 'residency',
        work: async () => {
          const model = byModelId(modelId);
          if (model.busy > 0) throw new ModelInUseError({ modelId });
          await unloadNow(model);
        },
      }),

    pin: ({ modelId, pinned }) => {
      byModelId(modelId).pinned = pinned;
    },

    async tryPrompt(request) {
      const model = await loadTarget(request, true);
      const role = request.role ?? 'coder';
      try {
        const result = await model.host.generate(
          {
            role,
            promptId: TRY_PROMPT_ID,
            system: request.system ?? '',
            user: request.prompt,
            jsonSchema: FREE_TEXT_SCHEMA,
            meta: { taskId: 'try', phase: PHASE[role], attempt: 1 },
            ...(request.maxTokens === undefined ? {} : { maxTokens: request.maxTokens }),
          },
          { onToken: (text) => publish({ type: 'models/try-token', at: clock.now(), tryId: request.tryId, text }) },
        );
        const answer: ModelTryResult = {
          tryId: request.tryId,
          modelId: model.summary.modelId,
          role,
          text: result.text,
          promptTokens: result.usage.promptTokens,
          outputTokens: result.usage.outputTokens,
          timeToFirstTokenMs: result.usage.timeToFirstTokenMs,
          tokensPerSecond: decodeTokensPerSecond(result.usage),
          durationMs: result.usage.durationMs,
        };
        publish({ type: 'models/try-finished', at: clock.now(), ...answer });
        return answer;
      } finally {
        model.busy -= 1;
      }
    },

    dispose: async () => {
      disposed = true;
      // Not queued: a load stuck on a slow model must not hold up quitting; one that finishes later sees `disposed`.
      await Promise.all([...loaded.values()].map((model) => model.host.dispose()));
      loaded.clear();
    },
  };
}
