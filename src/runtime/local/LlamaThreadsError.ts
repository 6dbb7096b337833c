import { NightshiftError } from '../../shared/NightshiftError.js';

/** NIGHTSHIFT_LLAMA_THREADS is set to something other than a positive whole number. */
export class LlamaThreadsError extends NightshiftError {
  constructor(options: {
    /** The variable's value. */
    value: string;
  }) {
    super({
      code: 'LLAMA_THREADS_INVALID',
      message: `NIGHTSHIFT_LLAMA_THREADS must be a positive whole number, not "${options.value}".`,
      hint: 'Unset it to let Nightshift choose, or give the CPU threads each model context may use, e.g. 4.',
      context: { value: options.value },
    });
  }
}
