import { NightshiftError } from '../shared/NightshiftError.js';

/** A model download could not reach its source: the machine looks offline, so the way forward is an import. */
export class ModelSourceOfflineError extends NightshiftError {
  constructor(options: {
    /** The model asked for. */
    modelId: string;
    /** Host the download comes from, e.g. `huggingface.co`. */
    host: string;
    /** What the network said, e.g. `ECONNREFUSED`. */
    detail: string;
    cause?: unknown;
  }) {
    super({
      code: 'MODEL_SOURCE_OFFLINE',
      message: `Cannot download model "${options.modelId}": ${options.host} cannot be reached (${options.detail}); this machine looks offline.`,
      hint: 'Import the GGUF file instead: copy it here from a machine that has it, then use "Import a GGUF" in Model files (copy or link). Or retry once the network is back.',
      context: { modelId: options.modelId, host: options.host, detail: options.detail },
      cause: options.cause,
    });
  }
}
