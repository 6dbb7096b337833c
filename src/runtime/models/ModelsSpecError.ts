import { NightshiftError } from '../../shared/NightshiftError.js';

/** A `--models` value that names no backend, or names one without what it needs. */
export class ModelsSpecError extends NightshiftError {
  constructor(options: {
    /** The `--models` value. */
    spec: string;
    /** What is wrong, as a sentence about the spec. */
    problem: string;
  }) {
    super({
      code: 'MODELS_SPEC_INVALID',
      message: `The model spec "${options.spec}" ${options.problem}.`,
      hint: 'Use --models local (the memory-tier profile, planned for this machine), --models local:FILE.gguf (one GGUF for every role), --models scripted:FILE (a JSON script of answers per task and phase) or --models openai:<baseUrl>#<model> (an OpenAI-compatible server, e.g. openai:http://127.0.0.1:11434/v1#qwen2.5-coder:7b).',
      context: { spec: options.spec, problem: options.problem },
    });
  }
}
