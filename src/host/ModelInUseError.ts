import { NightshiftError } from '../shared/NightshiftError.js';

/** `models/unload` named a model a try call is still generating on. */
export class ModelInUseError extends NightshiftError {
  constructor(options: {
    /** The model asked for. */
    modelId: string;
  }) {
    super({
      code: 'MODEL_IN_USE',
      message: `Model ${options.modelId} is answering a try call, so it cannot be unloaded now.`,
      hint: 'Wait for the try box to finish, then unload it.',
      context: { modelId: options.modelId },
    });
  }
}
