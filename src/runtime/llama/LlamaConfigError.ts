import { NightshiftError } from '../../shared/NightshiftError.js';

/** The llama backend's role settings contradict each other. */
export class LlamaConfigError extends NightshiftError {
  constructor(options: {
    /** What is contradictory, in one sentence. */
    problem: string;
    /** The roles involved. */
    roles: string[];
  }) {
    super({
      code: 'MODEL_CONFIG_INVALID',
      message: `Invalid llama model configuration: ${options.problem}`,
      hint: 'Roles that name the same GGUF file share one loaded model, so give them the same gpuLayers.',
      context: { problem: options.problem, roles: options.roles },
    });
  }
}
