import { NightshiftError } from '../../shared/NightshiftError.js';

/** The model store's manifest cannot be read or does not have the expected shape. */
export class ModelManifestError extends NightshiftError {
  constructor(options: {
    /** Absolute path of `manifest.json`. */
    path: string;
    /** What is wrong, in a few words. */
    problem: string;
    cause?: unknown;
  }) {
    super({
      code: 'MODEL_MANIFEST_INVALID',
      message: `The model manifest ${options.path} is unreadable: ${options.problem}.`,
      hint: `Move ${options.path} aside, then pull or import your models again; the .gguf files next to it are left untouched.`,
      context: { path: options.path, problem: options.problem },
      cause: options.cause,
    });
  }
}
