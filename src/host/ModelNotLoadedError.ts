import { NightshiftError } from '../shared/NightshiftError.js';

/** `models/unload` or `models/pin` named a model the app's model host has not loaded. */
export class ModelNotLoadedError extends NightshiftError {
  constructor(options: {
    /** The model id asked for. */
    modelId: string;
    /** The ids loaded now. */
    loaded: string[];
  }) {
    super({
      code: 'MODEL_NOT_LOADED',
      message: `Model ${options.modelId} is not loaded in the app's model host.`,
      hint: options.loaded.length > 0 ? `Loaded now: ${options.loaded.join(', ')}. Refresh the Residency view.` : 'Nothing is loaded now; load a model first.',
      context: { modelId: options.modelId, loaded: options.loaded },
    });
  }
}
