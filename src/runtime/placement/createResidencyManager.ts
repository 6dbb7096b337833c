import { ModelCannotFitError } from './ModelCannotFitError.js';
import { ResidencyError } from './ResidencyError.js';
import { createSerialQueue } from '../../shared/createSerialQueue.js';

/** Holds a model resident until released; a leased model is never evicted. */
export interface ResidencyLease {
  readonly modelId: string;
  /** Idempotent. */
  release(): void;
}

export interface LoadRecord {
  modelId: string;
  estimatedBytes: number;
  /** What the injected measure function reported after the load; null without one. */
  measuredBytes: number | null;
}

export interface ResidencyStats {
  loads: number;
  unloads: number;
  /** Unloads made to make room for another model; the rest of `unloads` happened on dispose. */
  evictions: number;
  failedLoads: number;
  byModel: Record<string, { loads: number; unloads: number }>;
  /** One entry per successful load, oldest first. */
  loadRecords: LoadRecord[];
}

export interface ResidencyManager {
  /**
   * Makes a model resident and leases it: loads it if needed, first unloading idle unpinned models,
   * least recently used first, until it fits. Refuses with ModelCannotFitError, before unloading
   * anything, when it would not fit even with every unpinned model gone; with ResidencyError (busy) when
   * only models in use stand in the way.
   */
  acquire(modelId: string): Promise<ResidencyLease>;
  /** Resident models, least recently used first. */
  resident(): string[];
  /** Bytes accounted to resident models (measured where measured, else estimated). */
  usedBytes(): number;
  stats(): ResidencyStats;
  /** Unloads every resident model. */
  dispose(): Promise<void>;
}

interface ResidentModel {
  bytes: number;
  lastUsed: number;
  leases: number;
}

/**
 * The runtime side of placement: which models are loaded right now. Pure policy over injected load,
 * unload and measure functions. Requests are served one at a time, so two loads never race for memory.
 */
export function createResidencyManager(options: {
  /** Bytes all resident models may take together (a PlacementPlan's budgetBytes). */
  budgetBytes: number;
  /** Every model that may be acquired: its estimated bytes (weights, KV caches, buffers) and whether it is pinned. */
  models: Record<string, { estimatedBytes: number; pinned?: boolean }>;
  load: (modelId: string) => Promise<void>;
  unload: (modelId: string) => Promise<void>;
  /** Bytes the model actually took after loading; used instead of the estimate from then on. */
  measure?: (modelId: string) => Promise<number> | number;
}): ResidencyManager {
  const { budgetBytes, models } = options;
  const resident = new Map<string, ResidentModel>();
  const stats: ResidencyStats = { loads: 0, unloads: 0, evictions: 0, failedLoads: 0, byModel: {}, loadRecords: [] };
  let clock = 0;
  let disposed = false;
  const queue = createSerialQueue<'residency'>();

  const serialized = <T>(work: () => Promise<T>): Promise<T> => queue.run({ key: 'residency', work });
  const countFor = (modelId: string) => (stats.byModel[modelId] ??= { loads: 0, unloads: 0 });
  const used = () => [...resident.values()].reduce((sum, model) => sum + model.bytes, 0);
  const isPinned = (modelId: string) => models[modelId]?.pinned === true;

  const unloadModel = async (modelId: string) => {
    await options.unload(modelId);
    resident.delete(modelId);
    stats.unloads++;
    countFor(modelId).unloads++;
  };

  const lease = (modelId: string, model: ResidentModel): ResidencyLease => {
    model.leases++;
    model.lastUsed = ++clock;
    let released = false;
    return {
      modelId,
      release: () => {
        if (released) return;
        released = true;
        model.leases--;
      },
    };
  };

  const acquireNow = async (modelId: string): Promise<ResidencyLease> => {
    if (disposed) throw new ResidencyError({ kind: 'disposed', message: `Cannot acquire ${modelId}: the residency manager was disposed.`, context: { modelId } });
    const spec = models[modelId];
    if (!spec) {
      throw new ResidencyError({ kind: 'unknown-model', message: `Unknown model "${modelId}".`, context: { modelId, known: Object.keys(models) } });
    }
    const already = resident.get(modelId);
    if (already) return lease(modelId, already);

    const pinnedResident = [...resident].filter(([id]) => isPinned(id)).map(([id, model]) => ({ modelId: id, bytes: model.bytes }));
    const pinnedBytes = pinnedResident.reduce((sum, model) => sum + model.bytes, 0);
    if (spec.estimatedBytes > budgetBytes - pinnedBytes) {
      throw new ModelCannotFitError({ modelId, requiredBytes: spec.estimatedBytes, budgetBytes, pinned: pinnedResident });
    }
    const shortfall = used() + spec.estimatedBytes - budgetBytes;
    const victims: string[] = [];
    if (shortfall > 0) {
      const idle = [...resident].filter(([id, model]) => !isPinned(id) && model.leases === 0).sort(([, a], [, b]) => a.lastUsed - b.lastUsed);
      let freed = 0;
      for (const [id, model] of idle) {
        if (freed >= shortfall) break;
        victims.push(id);
        freed += model.bytes;
      }
      if (freed < shortfall) {
        const busy = [...resident].filter(([id, model]) => !isPinned(id) && model.leases > 0).map(([id]) => id);
        throw new ResidencyError({
          kind: 'busy',
          message: `${modelId} fits only after unloading ${busy.join(', ')}, which ${busy.length === 1 ? 'is' : 'are'} in use.`,
          context: { modelId, busy },
        });
      }
    }
    for (const victim of victims) {
      await unloadModel(victim);
      stats.evictions++;
    }
    try {
      await options.load(modelId);
    } catch (error) {
      stats.failedLoads++;
      throw error;
    }
    stats.loads++;
    countFor(modelId).loads++;
    const measuredBytes = options.measure ? await options.measure(modelId) : null;
    stats.loadRecords.push({ modelId, estimatedBytes: spec.estimatedBytes, measuredBytes });
    const model: ResidentModel = { bytes: measuredBytes ?? spec.estimatedBytes, lastUsed: 0, leases: 0 };
    resident.set(modelId, model);
    return lease(modelId, model);
  };

  return {
    acquire: (modelId) => serialized(() => acquireNow(modelId)),
    resident: () => [...resident].sort(([, a], [, b]) => a.lastUsed - b.lastUsed).map(([id]) => id),
    usedBytes: used,
    stats: () => structuredClone(stats),
    dispose: () =>
      serialized(async () => {
        disposed = true;
        for (const modelId of [...resident.keys()]) await unloadModel(modelId);
      }),
  };
}
