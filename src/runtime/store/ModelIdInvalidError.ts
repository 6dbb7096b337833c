import { NightshiftError } from '../../shared/NightshiftError.js';

/** A model id cannot be used as a file name in the store. */
export class ModelIdInvalidError extends NightshiftError {
  constructor(options: {
    /** The id as given. */
    id: string;
  }) {
    super({
      code: 'MODEL_ID_INVALID',
      message: `Invalid model id "${options.id}".`,
      hint: 'Use 1 to 128 letters, digits, ".", "_" or "-", starting with a letter or digit, e.g. qwen2.5-coder-7b-q4_k_m.',
      context: { id: options.id },
    });
  }
}
