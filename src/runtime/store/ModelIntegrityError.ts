import { NightshiftError } from '../../shared/NightshiftError.js';

/** A downloaded model file is not what was expected; the partial file has been removed. */
export class ModelIntegrityError extends NightshiftError {
  constructor(options: {
    /** Model id being pulled. */
    id: string;
    /** URL the file came from. */
    url: string;
    /** Which check failed. */
    check: 'sha256' | 'size' | 'magic';
    /** The expected value: a hex digest, a byte count, or `GGUF`. */
    expected: string;
    /** What the file had instead. */
    actual: string;
  }) {
    const what = {
      sha256: 'its SHA-256 does not match',
      size: 'its size does not match',
      magic: 'it is not a GGUF file',
    }[options.check];
    super({
      code: 'MODEL_INTEGRITY_FAILED',
      message: `The file downloaded for model "${options.id}" failed verification: ${what} (expected ${options.expected}, got ${options.actual}). The partial file was removed.`,
      hint: 'Pull again; if it fails the same way, the source has changed or is wrong: check the catalog entry (source, size, sha256) or pass --source.',
      context: { ...options },
    });
  }
}
