import { NightshiftError } from '../../shared/NightshiftError.js';

/** An embedding was asked of a backend or model host that has no embedding model. */
export class EmbeddingNotConfiguredError extends NightshiftError {
  constructor(options: {
    /** Which backend was asked, e.g. `llama.cpp` or `scripted`. Default `llama.cpp`. */
    backend?: string;
  } = {}) {
    const backend = options.backend ?? 'llama.cpp';
    super({
      code: 'EMBEDDING_NOT_CONFIGURED',
      message: `The ${backend} model backend has no embedding model, so it cannot embed texts.`,
      hint: 'Give the models.json profile an `embedding` role whose model is on this machine (`nightshift models pull ID`), or pass `embedding` to the llama backend.',
      context: { backend },
    });
  }
}
