import { NightshiftError } from '../../shared/NightshiftError.js';

/** Placement was asked about a model it has no size or architecture numbers for. */
export class MissingModelFactsError extends NightshiftError {
  constructor(options: { modelId: string; reason: string }) {
    super({
      code: 'MODEL_FACTS_MISSING',
      message: `No memory facts for model "${options.modelId}": ${options.reason}.`,
      hint: 'Give the catalog entry an "architecture" block (blockCount, kvHeads, headDim, headCount, vocabSize), or point its "source" at a local GGUF file so its header can be read.',
      context: { modelId: options.modelId, reason: options.reason },
    });
  }
}
