import type { EngineEvent } from '../../shared/engineEventSchema.js';
import { NightshiftError } from '../../shared/NightshiftError.js';
import type { ModelDownloadState, ModelFilesListing, ProtocolFailure } from '../../shared/protocol.js';
import type { NightshiftApi } from '../api/NightshiftApi.js';

/** The import form: a GGUF path on the host's machine, how to bring it in, and an optional id. */
export interface ModelImportDraft {
  file: string;
  mode: 'copy' | 'link';
  /** Empty: the host derives the id from the file name. */
  modelId: string;
}

/**
 * The Model files section: the store's files, what the profile still needs, live downloads (from
 * `models/download` events), import and delete. Downloads are keyed by model id; an event for a model
 * replaces what the last answer or event said about it.
 */
export class ModelFilesState {
  listing = $state<ModelFilesListing | null>(null);
  /** Downloads running, paused or failed, by model id. */
  downloads = $state<Record<string, ModelDownloadState>>({});
  loading = $state(false);
  /** Model ids with a call on its way to the host; their buttons wait for it. */
  busy = $state<Record<string, boolean>>({});
  /** The latest failure that belongs to no form, shown until the next success or dismissal. */
  error = $state<ProtocolFailure | null>(null);
  importDraft = $state<ModelImportDraft>({ file: '', mode: 'copy', modelId: '' });
  importing = $state(false);
  /** Why the last import was refused, shown next to the import form. */
  importError = $state<ProtocolFailure | null>(null);
  /** The model whose deletion waits for the user's confirmation. */
  confirmingDelete = $state<string | null>(null);
  /** What the last delete freed, for the notice under the table. */
  lastDeleted = $state<{ modelId: string; freedBytes: number } | null>(null);

  /** The download source did not answer: the section says so and puts import first. */
  readonly offline = $derived(this.listing !== null && !this.listing.source.reachable);
  readonly downloadList = $derived(Object.values(this.downloads).sort((a, b) => a.modelId.localeCompare(b.modelId)));

  readonly #api: NightshiftApi;

  constructor(options: {
    /** Where the files are listed, downloaded, imported and deleted. */
    api: NightshiftApi;
  }) {
    this.#api = options.api;
  }

  /** Follows the host's download events; returns the function that stops following. */
  attach(): () => void {
    return this.#api.onEvent((event) => this.receive(event));
  }

  /** Takes one event: a download's progress or change of state; everything else is ignored. */
  receive(event: EngineEvent): void {
    if (event.type !== 'models/download') return;
    const state: ModelDownloadState = {
      modelId: event.modelId,
      state: event.state,
      receivedBytes: event.receivedBytes,
      totalBytes: event.totalBytes,
      bytesPerSecond: event.bytesPerSecond,
      secondsLeft: event.secondsLeft,
      error: event.error,
    };
    if (state.state === 'done' || state.state === 'cancelled') {
      delete this.downloads[state.modelId];
      if (state.state === 'done') void this.load();
      return;
    }
    this.downloads[state.modelId] = state;
  }

  async load(): Promise<void> {
    this.loading = true;
    try {
      const listing = await this.#api.invoke('models/files/list', {});
      this.listing = listing;
      this.downloads = Object.fromEntries(listing.downloads.map((download) => [download.modelId, download]));
      this.error = null;
    } catch (error) {
      this.error = toFailure(error);
    } finally {
      this.loading = false;
    }
  }

  /** Starts downloading a catalog model; false when the host refused (see `error`). */
  download(modelId: string): Promise<boolean> {
    return this.#control(modelId, 'models/files/download');
  }

  pause(modelId: string): Promise<boolean> {
    return this.#control(modelId, 'models/files/pause');
  }

  resume(modelId: string): Promise<boolean> {
    return this.#control(modelId, 'models/files/resume');
  }

  cancel(modelId: string): Promise<boolean> {
    return this.#control(modelId, 'models/files/cancel');
  }

  /** Imports the form's file; true when it was added, false when refused (see `importError`). */
  async importFile(): Promise<boolean> {
    const file = this.importDraft.file.trim();
    const modelId = this.importDraft.modelId.trim();
    if (file === '' || this.importing) return false;
    this.importing = true;
    try {
      await this.#api.invoke('models/files/import', { file, mode: this.importDraft.mode, ...(modelId === '' ? {} : { modelId }) });
      this.importError = null;
      this.importDraft = { file: '', mode: this.importDraft.mode, modelId: '' };
      await this.load();
      return true;
    } catch (error) {
      this.importError = toFailure(error);
      return false;
    } finally {
      this.importing = false;
    }
  }

  /** Asks for confirmation before `confirmDelete` deletes the model. */
  askDelete(modelId: string): void {
    this.confirmingDelete = modelId;
  }

  keep(): void {
    this.confirmingDelete = null;
  }

  /** Deletes the model awaiting confirmation; true when it was deleted. */
  async confirmDelete(): Promise<boolean> {
    const modelId = this.confirmingDelete;
    if (modelId === null || this.busy[modelId]) return false;
    this.busy[modelId] = true;
    try {
      this.lastDeleted = await this.#api.invoke('models/files/delete', { modelId });
      this.confirmingDelete = null;
      delete this.downloads[modelId];
      this.error = null;
      await this.load();
      return true;
    } catch (error) {
      this.error = toFailure(error);
      return false;
    } finally {
      delete this.busy[modelId];
    }
  }

  dismissError(): void {
    this.error = null;
  }

  async #control(
    modelId: string,
    name: 'models/files/download' | 'models/files/pause' | 'models/files/resume' | 'models/files/cancel',
  ): Promise<boolean> {
    if (this.busy[modelId]) return false;
    this.busy[modelId] = true;
    try {
      const state = await this.#api.invoke(name, { modelId });
      if (state.state === 'done' || state.state === 'cancelled') {
        delete this.downloads[modelId];
        await this.load();
      } else {
        this.downloads[modelId] = state;
      }
      this.error = null;
      return true;
    } catch (error) {
      this.error = toFailure(error);
      return false;
    } finally {
      delete this.busy[modelId];
    }
  }
}

function toFailure(error: unknown): ProtocolFailure {
  return NightshiftError.toData({ error, fallback: { code: 'UNEXPECTED', hint: 'Try again; if it keeps failing, restart the app.' } });
}
