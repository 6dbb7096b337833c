import { NightshiftError } from '../../shared/NightshiftError.js';

const GIB = 1024 ** 3;

/** A model would not fit even if every unpinned model were unloaded, so nothing was evicted for it. */
export class ModelCannotFitError extends NightshiftError {
  constructor(options: {
    modelId: string;
    /** Estimated bytes the model needs. */
    requiredBytes: number;
    /** The whole memory budget. */
    budgetBytes: number;
    /** Pinned models that stay resident, with their bytes. */
    pinned: Array<{ modelId: string; bytes: number }>;
  }) {
    const pinnedBytes = options.pinned.reduce((sum, model) => sum + model.bytes, 0);
    super({
      code: 'MODEL_CANNOT_FIT',
      message:
        `${options.modelId} needs ${(options.requiredBytes / GIB).toFixed(1)} GiB but at most ${((options.budgetBytes - pinnedBytes) / GIB).toFixed(1)} GiB ` +
        `can be freed (budget ${(options.budgetBytes / GIB).toFixed(1)} GiB${options.pinned.length ? `, pinned: ${options.pinned.map((model) => model.modelId).join(', ')}` : ''}).`,
      hint: 'Run `nightshift models plan` and choose a smaller quantization, a smaller contextSize or a smaller profile, or unpin a model.',
      context: { ...options },
    });
  }
}
