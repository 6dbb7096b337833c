import { NightshiftError } from '../../shared/NightshiftError.js';

/** A local file cannot be imported as a model. */
export class ModelImportError extends NightshiftError {
  constructor(options: {
    /** Absolute path of the file. */
    path: string;
    /** What is wrong with it, in a few words. */
    problem: string;
    cause?: unknown;
  }) {
    super({
      code: 'MODEL_IMPORT_FAILED',
      message: `Cannot import ${options.path} as a model: ${options.problem}.`,
      hint: 'Pass the path of a readable GGUF model file (GGUF files start with the four bytes "GGUF").',
      context: { path: options.path, problem: options.problem },
      cause: options.cause,
    });
  }
}
