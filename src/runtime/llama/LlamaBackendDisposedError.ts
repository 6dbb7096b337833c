import { NightshiftError } from '../../shared/NightshiftError.js';

/** The llama backend was asked to load models after dispose(). */
export class LlamaBackendDisposedError extends NightshiftError {
  constructor() {
    super({
      code: 'MODEL_BACKEND_DISPOSED',
      message: 'The llama backend is disposed and cannot load models any more.',
      hint: 'Create a new backend with createLlamaBackend.',
    });
  }
}
