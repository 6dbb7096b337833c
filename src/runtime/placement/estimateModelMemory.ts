import type { ModelFacts } from './ModelFacts.js';

/** llama.cpp pads KV cache sizes to this many tokens. */
const KV_PADDING = 256;
/** f16 keys and values, llama.cpp's default cache type. */
const KV_BYTES_PER_ELEMENT = 2;
const FLOAT_BYTES = 4;
/** Graph and scratch allocations that do not scale with context; measured buffers sit near this. */
const COMPUTE_BASE_BYTES = 256 * 1024 ** 2;

export interface ContextMemoryEstimate {
  contextSize: number;
  /** 2 (K and V) x layers x KV heads x head dim x context x 2 bytes; sliding-window layers hold only their window. */
  kvCacheBytes: number;
  /** Compute, logits and recurrent-state buffers of this context. */
  computeBytes: number;
}

export interface ModelMemoryEstimate {
  weightsBytes: number;
  contexts: ContextMemoryEstimate[];
  kvCacheBytes: number;
  computeBytes: number;
  totalBytes: number;
}

/**
 * Memory one model needs with one context per entry of `contextSizes`: the weights once, and per context
 * its KV cache and compute buffers (llama.cpp gives every context its own).
 */
export function estimateModelMemory(options: {
  facts: ModelFacts;
  /** One entry per context (per role) the model serves, in tokens. */
  contextSizes: number[];
  /** Assume flash attention, which avoids a context-sized attention scratch buffer. Default true. */
  flashAttention?: boolean;
  /** Tokens evaluated per batch. Default 512 (node-llama-cpp's default). */
  batchSize?: number;
}): ModelMemoryEstimate {
  const { facts } = options;
  const batchSize = options.batchSize ?? 512;
  const flashAttention = options.flashAttention ?? true;
  const contexts = options.contextSizes.map((contextSize): ContextMemoryEstimate => {
    const kvCacheBytes = kvCacheFormula(facts, contextSize, batchSize);
    if (facts.estimateContextBytes) {
      const total = facts.estimateContextBytes(contextSize);
      const kv = Math.min(kvCacheBytes, total);
      return { contextSize, kvCacheBytes: kv, computeBytes: total - kv };
    }
    const logitsBytes = batchSize * facts.vocabSize * FLOAT_BYTES;
    const attentionScratchBytes = flashAttention ? 0 : batchSize * padded(contextSize) * facts.headCount * FLOAT_BYTES;
    return { contextSize, kvCacheBytes, computeBytes: COMPUTE_BASE_BYTES + logitsBytes + attentionScratchBytes + (facts.recurrentStateBytes ?? 0) };
  });
  const weightsBytes = facts.estimateWeightsBytes ?? facts.fileSizeBytes;
  const kvCacheBytes = contexts.reduce((sum, context) => sum + context.kvCacheBytes, 0);
  const computeBytes = contexts.reduce((sum, context) => sum + context.computeBytes, 0);
  return { weightsBytes, contexts, kvCacheBytes, computeBytes, totalBytes: weightsBytes + kvCacheBytes + computeBytes };
}

function kvCacheFormula(facts: ModelFacts, contextSize: number, batchSize: number): number {
  const bytesPerTokenPerLayer = 2 * facts.kvHeads * facts.headDim * KV_BYTES_PER_ELEMENT;
  const kvLayers = facts.kvLayers ?? facts.blockCount;
  const windowLayers = Math.min(facts.slidingWindow?.layers ?? 0, kvLayers);
  const fullTokens = padded(contextSize);
  // llama.cpp keeps the window plus one batch for sliding-window layers.
  const windowTokens = facts.slidingWindow ? Math.min(fullTokens, padded(facts.slidingWindow.tokens + batchSize)) : 0;
  return bytesPerTokenPerLayer * ((kvLayers - windowLayers) * fullTokens + windowLayers * windowTokens);
}

function padded(tokens: number): number {
  return Math.ceil(tokens / KV_PADDING) * KV_PADDING;
}
