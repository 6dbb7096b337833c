import { NightshiftError } from '../../shared/NightshiftError.js';

/** No model file, and no partial download, is recorded under an id. */
export class ModelNotFoundError extends NightshiftError {
  constructor(options: {
    /** The id asked for. */
    id: string;
  }) {
    super({
      code: 'MODEL_NOT_FOUND',
      message: `No model "${options.id}" in the model store.`,
      hint: 'Run `nightshift models list` to see the models on this machine.',
      context: { id: options.id },
    });
  }
}
