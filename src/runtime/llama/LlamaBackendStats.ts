import type { LlamaResidentModel } from './LlamaResidentModel.js';

/** What createLlamaBackend has loaded and unloaded, for stats(). */
export interface LlamaBackendStats {
  /** Model files loaded since creation (a file shared by several roles counts once per load). */
  loads: number;
  /** Models unloaded since creation, evictions included. */
  unloads: number;
  /** Unloads made to make room for another model under budgetBytes; always 0 without it. */
  evictions: number;
  /** The budget the resident models share, in bytes; null when every model loads up front and stays. */
  budgetBytes: number | null;
  /** Models loaded now, in load order. */
  resident: LlamaResidentModel[];
  /** One entry per load, oldest first: the most recent LOAD_RECORD_LIMIT (64), with estimated and measured bytes. */
  loadRecords: LlamaResidentModel[];
}
