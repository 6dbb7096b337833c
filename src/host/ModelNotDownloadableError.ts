import { NightshiftError } from '../shared/NightshiftError.js';

/** A model the host was asked to download has no single-file source in the catalog to download from. */
export class ModelNotDownloadableError extends NightshiftError {
  constructor(options: {
    modelId: string;
    /** Why, in a sentence. */
    problem: string;
    /** What to do instead. */
    hint: string;
  }) {
    super({
      code: 'MODEL_NOT_DOWNLOADABLE',
      message: `Model "${options.modelId}" cannot be downloaded here: ${options.problem}`,
      hint: options.hint,
      context: { modelId: options.modelId, problem: options.problem },
    });
  }
}
