import { totalmem } from 'node:os';
import { basename, join } from 'node:path';
import { loadModelCatalog } from '../runtime/catalog/loadModelCatalog.js';
import type { ModelCatalog } from '../runtime/catalog/modelCatalogSchema.js';
import { selectProfile } from '../runtime/catalog/selectProfile.js';
import { createModelFileStore } from '../runtime/store/createModelFileStore.js';
import { ModelDownloadError } from '../runtime/store/ModelDownloadError.js';
import type { ModelFileEntry } from '../runtime/store/ModelFileStore.js';
import { ModelNotFoundError } from '../runtime/store/ModelNotFoundError.js';
import { NightshiftError } from '../shared/NightshiftError.js';
import type { ModelDownloadState, ModelFileSummary, ModelFilesListing, MissingModelSummary } from '../shared/protocol.js';
import type { HostContext } from './HostContext.js';
import type { HostHandlers } from './HostHandlers.js';
import { ModelDownloadStateError } from './ModelDownloadStateError.js';
import { ModelNotDownloadableError } from './ModelNotDownloadableError.js';
import { ModelSourceOfflineError } from './ModelSourceOfflineError.js';
import { readGgufQuantization } from './readGgufQuantization.js';

type ModelFilesHandlers = Pick<
  HostHandlers,
  | 'models/files/list'
  | 'models/files/download'
  | 'models/files/pause'
  | 'models/files/resume'
  | 'models/files/cancel'
  | 'models/files/import'
  | 'models/files/delete'
>;

/** Milliseconds between two `models/download` events of a running download: about four a second. */
const PROGRESS_INTERVAL_MS = 250;
/** How long a reachability answer is trusted before `models/files/list` asks the source again. */
const PROBE_TTL_MS = 30_000;
const PROBE_TIMEOUT_MS = 3_000;

interface Download {
  progress: ModelDownloadState;
  controller: AbortController;
  /** Why the download is being stopped, so the abort it causes is reported as that and not as a failure. */
  stopping: 'pause' | 'cancel' | null;
  /** Settles (never rejects) once the pull has ended and `progress.state` says how. */
  settled: Promise<void>;
  lastPublishedAt: number;
}

/**
 * The `models/files/*` messages: the model store under the data directory, what the profile for this
 * machine's memory still needs, and downloads run by the host itself (plain HTTP and file writes), one per
 * model at a time, pausable and resumable through the store's partial files. Progress is published as
 * `models/download` events.
 */
export function createModelFilesHandlers(options: {
  context: HostContext;
  /** Aborted when the host closes: running downloads stop, keeping their partial files for a later resume. */
  closed: AbortSignal;
  /** The model store's folder. Default `<dataDir>/models`. */
  dir?: string;
  /** Base catalog instead of the shipped models.json; `<dataDir>/models.json` still overrides it. */
  catalogPath?: string;
  /** Base URL `hf:` sources download from: a mirror, or a test server. Default `$HF_ENDPOINT`, else `https://huggingface.co`. */
  huggingFaceEndpoint?: string;
  /** Memory in bytes the profile is chosen for. Default: this machine's total memory. */
  memoryBytes?: number;
}): ModelFilesHandlers {
  const { context } = options;
  const endpoint = (options.huggingFaceEndpoint ?? process.env.HF_ENDPOINT ?? 'https://huggingface.co').replace(/\/+$/, '');
  const store = createModelFileStore({ dir: options.dir ?? join(context.dataDir, 'models'), huggingFaceEndpoint: endpoint });
  const downloads = new Map<string, Download>();
  const quantizations = new Map<string, string | null>();
  let probe: { at: number; reachable: boolean; detail: string | null } | null = null;

  const loadCatalog = () =>
    loadModelCatalog({ ...(options.catalogPath === undefined ? {} : { path: options.catalogPath }), overrides: [join(context.dataDir, 'models.json')] });

  const publish = (download: Download) => {
    download.lastPublishedAt = performance.now();
    context.publish({ type: 'models/download', at: context.clock.now(), ...download.progress });
  };

  /** Whether the download source answers at all (any HTTP status will do), remembered for a while. */
  const sourceReachability = async () => {
    if (probe && performance.now() - probe.at < PROBE_TTL_MS) return probe;
    let detail: string | null = null;
    try {
      const response = await fetch(endpoint, { method: 'HEAD', redirect: 'manual', signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
      await response.body?.cancel();
    } catch (error) {
      detail = networkDetail(error);
    }
    probe = { at: performance.now(), reachable: detail === null, detail };
    return probe;
  };

  const summarize = async (entry: ModelFileEntry, catalog: ModelCatalog | null): Promise<ModelFileSummary> => {
    const model = catalog?.models.find((candidate) => candidate.id === entry.id);
    let quantization = model?.quantization ?? null;
    if (quantization === null && entry.present) {
      const key = `${entry.id}@${entry.addedAt}`;
      if (!quantizations.has(key)) quantizations.set(key, await readGgufQuantization({ path: entry.path }));
      quantization = quantizations.get(key) ?? null;
    }
    return {
      id: entry.id,
      name: model?.name ?? null,
      file: entry.path,
      sizeBytes: entry.sizeBytes,
      quantization,
      verified: entry.origin === 'download' && entry.sha256 !== null && entry.sha256 === model?.sha256,
      sha256: entry.sha256,
      origin: entry.origin,
      source: entry.source,
      addedAt: entry.addedAt,
      present: entry.present,
    };
  };

  /** The catalog's single-file `hf:` source of a model, or why it has none. */
  const sourceOf = (catalog: ModelCatalog, modelId: string): { source: string; sha256?: string } | { problem: string; hint: string } => {
    const model = catalog.models.find((candidate) => candidate.id === modelId);
    if (!model) {
      return { problem: 'it is not in the model catalog.', hint: `Import the GGUF file instead, or pick one of: ${catalog.models.map((each) => each.id).join(', ')}.` };
    }
    if (!model.source.startsWith('hf:')) {
      return { problem: `the catalog gives it as the local file ${model.source}.`, hint: `Import that file (Import a GGUF, with the id ${modelId}).` };
    }
    if (model.parts !== undefined) {
      return {
        problem: `it is published as ${model.parts} files, and downloads fetch single-file models only.`,
        hint: `Download all ${model.parts} parts next to each other, then import the first part by link with the id ${modelId}.`,
      };
    }
    return { source: model.source, ...(model.sha256 ? { sha256: model.sha256 } : {}) };
  };

  const starting = new Set<string>();
  const start = async (modelId: string, action: 'download' | 'resume'): Promise<ModelDownloadState> => {
    // Claimed before the first await, so two quick clicks cannot start two pulls of one file.
    if (starting.has(modelId) || downloads.get(modelId)?.progress.state === 'running') {
      throw new ModelDownloadStateError({ modelId, action, state: 'running' });
    }
    starting.add(modelId);
    try {
      return await launch(modelId, action);
    } finally {
      starting.delete(modelId);
    }
  };

  const launch = async (modelId: string, action: 'download' | 'resume'): Promise<ModelDownloadState> => {
    const current = downloads.get(modelId);
    if (action === 'resume' && !current) throw new ModelDownloadStateError({ modelId, action, state: 'none' });
    const found = sourceOf(await loadCatalog(), modelId);
    if ('problem' in found) throw new ModelNotDownloadableError({ modelId, ...found });
    const existing = (await store.list()).find((entry) => entry.id === modelId && entry.present);
    if (existing) {
      // Already here: a new pull of a file whose hash differs would leave a partial beside it that cancel could not tell apart.
      downloads.delete(modelId);
      return { ...idle(modelId, 'done'), receivedBytes: existing.sizeBytes, totalBytes: existing.sizeBytes };
    }

    const download: Download = {
      progress: { ...idle(modelId, 'running'), receivedBytes: current?.progress.receivedBytes ?? 0, totalBytes: current?.progress.totalBytes ?? null },
      controller: new AbortController(),
      stopping: null,
      settled: Promise.resolve(),
      lastPublishedAt: Number.NEGATIVE_INFINITY,
    };
    downloads.set(modelId, download);
    let flowed = false;
    let flowing!: () => void;
    const started = new Promise<void>((resolve) => (flowing = resolve));
    let failure: unknown = null;
    download.settled = store
      .pull({
        id: modelId,
        source: found.source,
        ...(found.sha256 ? { sha256: found.sha256 } : {}),
        signal: AbortSignal.any([download.controller.signal, options.closed]),
        onProgress: ({ receivedBytes, totalBytes, bytesPerSecond }) => {
          flowed = true;
          flowing();
          const left = totalBytes === null || bytesPerSecond <= 0 ? null : Math.ceil(Math.max(0, totalBytes - receivedBytes) / bytesPerSecond);
          download.progress = { ...download.progress, receivedBytes, totalBytes, bytesPerSecond, secondsLeft: left };
          if (performance.now() - download.lastPublishedAt >= PROGRESS_INTERVAL_MS) publish(download);
        },
      })
      .then(
        (entry) => {
          download.progress = { ...download.progress, state: 'done', receivedBytes: entry.sizeBytes, totalBytes: entry.sizeBytes, secondsLeft: 0 };
          probe = { at: performance.now(), reachable: true, detail: null };
        },
        (error: unknown) => {
          const stopped = download.stopping ?? (options.closed.aborted ? 'pause' : null);
          if (stopped) {
            // Bytes can arrive after the last progress report; the abort says how many are on disk.
            const kept = error instanceof ModelDownloadError ? error.context.partialBytes : undefined;
            const receivedBytes = typeof kept === 'number' ? kept : download.progress.receivedBytes;
            download.progress = { ...download.progress, state: stopped === 'pause' ? 'paused' : 'cancelled', receivedBytes, bytesPerSecond: 0, secondsLeft: null };
            return;
          }
          failure = explain(modelId, error);
          if (failure instanceof ModelSourceOfflineError) probe = { at: performance.now(), reachable: false, detail: (failure.context.detail as string) ?? null };
          const { code, message, hint } = NightshiftError.toData({ error: failure });
          download.progress = { ...download.progress, state: 'failed', bytesPerSecond: 0, secondsLeft: null, error: { code, message, hint } };
        },
      )
      .then(() => {
        const { state } = download.progress;
        if (state === 'done') downloads.delete(modelId);
        // Refused before a byte arrived, a new download only has the answer to say why: there is nothing to resume.
        const refused = state === 'failed' && !flowed && !current;
        if (refused && downloads.get(modelId) === download) downloads.delete(modelId);
        // A cancel reports once, after it has deleted the partial file.
        if (!refused && download.stopping !== 'cancel') publish(download);
      });
    await Promise.race([started, download.settled]);
    if (download.progress.state === 'failed' && !flowed) throw failure;
    return download.progress;
  };

  const running = (modelId: string, action: 'pause' | 'cancel'): Download => {
    const download = downloads.get(modelId);
    if (!download) throw new ModelDownloadStateError({ modelId, action, state: 'none' });
    return download;
  };

  return {
    'models/files/list': async () => {
      let catalog: ModelCatalog | null = null;
      let catalogError: ModelFilesListing['catalogError'] = null;
      let profile: ModelFilesListing['profile'] = null;
      const entries = await store.list();
      try {
        catalog = await loadCatalog();
        const chosen = selectProfile({ catalog, memoryBytes: options.memoryBytes ?? totalmem() });
        const present = new Set(entries.filter((entry) => entry.present).map((entry) => entry.id));
        const missing = new Map<string, MissingModelSummary>();
        for (const [role, assignment] of Object.entries(chosen.roles)) {
          if (!assignment || present.has(assignment.model)) continue;
          const model = catalog.models.find((candidate) => candidate.id === assignment.model)!;
          const known = missing.get(model.id);
          if (known) {
            known.roles.push(role);
            continue;
          }
          const found = sourceOf(catalog, model.id);
          missing.set(model.id, {
            id: model.id,
            name: model.name,
            quantization: model.quantization,
            sizeBytes: model.fileSizeBytes,
            roles: [role],
            notDownloadable: 'problem' in found ? found.problem : null,
          });
        }
        profile = { id: chosen.id, memoryGb: chosen.memoryGb, missing: [...missing.values()] };
      } catch (error) {
        if (!(error instanceof NightshiftError)) throw error;
        catalogError = error.toJSON();
      }
      const usage = await store.diskUsage();
      const reachability = await sourceReachability();
      return {
        dir: store.dir,
        files: await Promise.all(entries.map((entry) => summarize(entry, catalog))),
        profile,
        catalogError,
        downloads: [...downloads.values()].map((download) => download.progress),
        disk: usage,
        source: { endpoint, reachable: reachability.reachable, detail: reachability.detail },
      };
    },

    'models/files/download': ({ modelId }) => start(modelId, 'download'),

    'models/files/resume': ({ modelId }) => start(modelId, 'resume'),

    'models/files/pause': async ({ modelId }) => {
      const download = running(modelId, 'pause');
      if (download.progress.state !== 'running') throw new ModelDownloadStateError({ modelId, action: 'pause', state: download.progress.state });
      download.stopping = 'pause';
      download.controller.abort();
      await download.settled;
      return download.progress;
    },

    'models/files/cancel': async ({ modelId }) => {
      const download = running(modelId, 'cancel');
      if (download.progress.state === 'running') {
        download.stopping = 'cancel';
        download.controller.abort();
        await download.settled;
        const outcome: ModelDownloadState = download.progress;
        // It finished before the abort landed: the file stays, and the answer says so.
        if (outcome.state === 'done') return outcome;
      }
      const recorded = (await store.list()).some((entry) => entry.id === modelId);
      if (!recorded) await store.remove({ id: modelId }).catch((error: unknown) => {
        if (!(error instanceof ModelNotFoundError)) throw error;
      });
      downloads.delete(modelId);
      download.progress = { ...download.progress, state: 'cancelled', receivedBytes: 0, bytesPerSecond: 0, secondsLeft: null, error: null };
      publish(download);
      return download.progress;
    },

    'models/files/import': async ({ file, mode, modelId }) => {
      const entry = await store.import({ id: modelId ?? idFromFileName(file), path: file, mode });
      // The file is in; a broken catalog only costs the summary its display name, and the listing reports it.
      const catalog = await loadCatalog().catch(() => null);
      return summarize(entry, catalog);
    },

    'models/files/delete': async ({ modelId }) => {
      const download = downloads.get(modelId);
      if (download?.progress.state === 'running') throw new ModelDownloadStateError({ modelId, action: 'delete', state: 'running' });
      const { freedBytes } = await store.remove({ id: modelId });
      downloads.delete(modelId);
      return { modelId, freedBytes };
    },
  };
}

function idle(modelId: string, state: ModelDownloadState['state']): ModelDownloadState {
  return { modelId, state, receivedBytes: 0, totalBytes: null, bytesPerSecond: 0, secondsLeft: null, error: null };
}

/** A download failure for the app: an unreachable source becomes the offline error that points to import. */
function explain(modelId: string, error: unknown): unknown {
  if (error instanceof ModelDownloadError && (error.reason === 'offline' || error.reason === 'timeout')) {
    return new ModelSourceOfflineError({ modelId, host: hostOf(String(error.context.url)), detail: String(error.context.detail), cause: error });
  }
  return error;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function networkDetail(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return error instanceof Error ? error.message : String(error);
}

/** The CLI's rule (`nightshift models import`): the file name without `.gguf`, lower-cased, as an id. */
function idFromFileName(file: string): string {
  return basename(file)
    .replace(/\.gguf$/i, '')
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '');
}
