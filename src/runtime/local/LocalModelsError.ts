import { NightshiftError } from '../../shared/NightshiftError.js';

/** The local models a session needs are not there, or cannot all run on this machine. */
export class LocalModelsError extends NightshiftError {
  constructor(options: { message: string; hint: string; context?: Record<string, unknown> }) {
    super({ code: 'LOCAL_MODELS_UNAVAILABLE', ...options });
  }
}
