import { NightshiftError } from '../../shared/NightshiftError.js';

/** A GGUF model could not be read, loaded, or given a context (missing file, corrupt file, not enough memory). */
export class LlamaModelLoadError extends NightshiftError {
  constructor(options: {
    /** The GGUF path as configured. */
    modelPath: string;
    /** The roles that use the file. */
    roles: string[];
    /** Which step failed. */
    step: 'open' | 'read-metadata' | 'validate' | 'load' | 'create-context';
    cause: unknown;
  }) {
    const detail = options.cause instanceof Error ? options.cause.message : String(options.cause);
    super({
      code: 'MODEL_LOAD_FAILED',
      message: `Cannot ${STEP_TEXT[options.step]} ${options.modelPath} (roles ${options.roles.join(', ')}): ${detail}`,
      hint:
        options.step === 'open'
          ? 'Check the modelPath: it must name an existing .gguf file.'
          : options.step === 'create-context'
            ? 'Lower the contextSize or gpuLayers of these roles, or free memory by unloading other models.'
            : 'Check that the file is a complete GGUF that this llama.cpp build supports (re-download it if it is truncated), and that there is memory for it; lower gpuLayers on a small GPU.',
      context: { modelPath: options.modelPath, roles: options.roles, step: options.step, detail },
      cause: options.cause,
    });
  }
}

const STEP_TEXT = {
  open: 'open',
  'read-metadata': 'read the GGUF metadata of',
  validate: 'use',
  load: 'load',
  'create-context': 'create a context for',
} as const;
