import { describe, expect, it } from 'vitest';
import { estimateModelMemory } from '../../../../src/runtime/placement/estimateModelMemory.js';
import type { ModelFacts } from '../../../../src/runtime/placement/ModelFacts.js';

const MIB = 1024 ** 2;
/** Qwen2.5-Coder-7B's shape. */
const facts: ModelFacts = { fileSizeBytes: 4_680_000_000, blockCount: 28, kvHeads: 4, headDim: 128, headCount: 28, vocabSize: 152064, trainedContext: 32768 };

describe('estimateModelMemory', () => {
  it('sizes the KV cache as 2 x layers x KV heads x head dim x context x 2 bytes, per context', () => {
    const estimate = estimateModelMemory({ facts, contextSizes: [16384, 8192] });
    expect(estimate.contexts.map((context) => context.kvCacheBytes)).toEqual([2 * 28 * 4 * 128 * 16384 * 2, 2 * 28 * 4 * 128 * 8192 * 2]);
    expect(estimate.kvCacheBytes).toBe(2 * 28 * 4 * 128 * (16384 + 8192) * 2);
  });

  it('counts the weights once however many contexts share them, and gives each context its own buffers', () => {
    const one = estimateModelMemory({ facts, contextSizes: [8192] });
    const two = estimateModelMemory({ facts, contextSizes: [8192, 8192] });
    expect(two.weightsBytes).toBe(facts.fileSizeBytes);
    expect(two.totalBytes - one.totalBytes).toBe(one.kvCacheBytes + one.computeBytes);
    // Compute: a fixed graph allowance plus a 512-token batch of float logits.
    expect(one.computeBytes).toBe(256 * MIB + 512 * 152064 * 4);
  });

  it('pads contexts to 256 tokens as llama.cpp does', () => {
    expect(estimateModelMemory({ facts, contextSizes: [1000] }).kvCacheBytes).toBe(2 * 28 * 4 * 128 * 1024 * 2);
  });

  it('keeps only the window for sliding-window layers and nothing for recurrent layers', () => {
    const gemma: ModelFacts = { ...facts, blockCount: 62, kvHeads: 16, headDim: 128, slidingWindow: { tokens: 1024, layers: 52 } };
    const perLayerToken = 2 * 16 * 128 * 2;
    expect(estimateModelMemory({ facts: gemma, contextSizes: [32768] }).kvCacheBytes).toBe(perLayerToken * (10 * 32768 + 52 * 1536));
    // A context shorter than the window caches only the context.
    expect(estimateModelMemory({ facts: gemma, contextSizes: [512] }).kvCacheBytes).toBe(perLayerToken * 62 * 512);
    const hybrid: ModelFacts = { ...facts, blockCount: 48, kvLayers: 12, kvHeads: 2, headDim: 256, recurrentStateBytes: 80_000_000 };
    const estimate = estimateModelMemory({ facts: hybrid, contextSizes: [65536] });
    expect(estimate.kvCacheBytes).toBe(2 * 12 * 2 * 256 * 65536 * 2);
    expect(estimate.computeBytes).toBe(256 * MIB + 512 * 152064 * 4 + 80_000_000);
  });

  it('adds the context-sized attention scratch only without flash attention', () => {
    const withFlash = estimateModelMemory({ facts, contextSizes: [16384] });
    const without = estimateModelMemory({ facts, contextSizes: [16384], flashAttention: false });
    expect(without.computeBytes - withFlash.computeBytes).toBe(512 * 16384 * 28 * 4);
  });

  it('takes weights and context totals from estimator functions when given, reporting the KV formula within them', () => {
    const measured: ModelFacts = { ...facts, estimateWeightsBytes: 5_000_000_000, estimateContextBytes: (contextSize) => contextSize * 70_000 };
    const estimate = estimateModelMemory({ facts: measured, contextSizes: [16384] });
    expect(estimate.weightsBytes).toBe(5_000_000_000);
    expect(estimate.kvCacheBytes).toBe(2 * 28 * 4 * 128 * 16384 * 2);
    expect(estimate.kvCacheBytes + estimate.computeBytes).toBe(16384 * 70_000);
    const small = estimateModelMemory({ facts: { ...facts, estimateContextBytes: () => 1000 }, contextSizes: [16384] });
    expect(small.contexts[0]).toEqual({ contextSize: 16384, kvCacheBytes: 1000, computeBytes: 0 });
  });
});
