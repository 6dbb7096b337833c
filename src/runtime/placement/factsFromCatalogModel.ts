import type { CatalogModel } from '../catalog/modelCatalogSchema.js';
import { MissingModelFactsError } from './MissingModelFactsError.js';
import type { ModelFacts } from './ModelFacts.js';

/** ModelFacts from a catalog entry's architecture block, so plans need no download. */
export function factsFromCatalogModel(options: { model: CatalogModel }): ModelFacts {
  const { model } = options;
  const architecture = model.architecture;
  if (!architecture) throw new MissingModelFactsError({ modelId: model.id, reason: 'its catalog entry has no architecture block' });
  return {
    fileSizeBytes: model.fileSizeBytes,
    blockCount: architecture.blockCount,
    kvHeads: architecture.kvHeads,
    headDim: architecture.headDim,
    headCount: architecture.headCount,
    vocabSize: architecture.vocabSize,
    trainedContext: model.trainedContext,
    ...(architecture.kvLayers === undefined ? {} : { kvLayers: architecture.kvLayers }),
    ...(architecture.slidingWindow ? { slidingWindow: architecture.slidingWindow } : {}),
    ...(architecture.recurrentStateBytes === undefined ? {} : { recurrentStateBytes: architecture.recurrentStateBytes }),
  };
}
