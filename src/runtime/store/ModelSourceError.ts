import { NightshiftError } from '../../shared/NightshiftError.js';

/** A model source is neither a well-formed `hf:` URI nor an http(s) URL. */
export class ModelSourceError extends NightshiftError {
  constructor(options: {
    /** The source as given. */
    source: string;
    /** What is wrong with it, in a few words. */
    problem: string;
  }) {
    super({
      code: 'MODEL_SOURCE_INVALID',
      message: `Invalid model source "${options.source}": ${options.problem}.`,
      hint: 'Use hf:<user>/<repo>/<path/to/file.gguf> (a file in a Hugging Face repository) or an https:// URL of a .gguf file.',
      context: { ...options },
    });
  }
}
