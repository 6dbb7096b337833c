/**
 * What placement needs to know about one model file, from its GGUF header (factsFromGguf) or from the
 * catalog's architecture block (factsFromCatalogModel). Sizes are bytes, contexts tokens.
 */
export interface ModelFacts {
  /** Bytes of the GGUF file, all parts together. */
  fileSizeBytes: number;
  /** Transformer blocks (`<arch>.block_count`). */
  blockCount: number;
  /** Blocks that keep a KV cache. Default blockCount; hybrid models cache only in their attention blocks. */
  kvLayers?: number;
  /** KV heads per layer (`<arch>.attention.head_count_kv`). */
  kvHeads: number;
  /** Dimension of one key/value head (`<arch>.attention.key_length`). */
  headDim: number;
  /** Query heads (`<arch>.attention.head_count`). */
  headCount: number;
  /** Tokens in the vocabulary. */
  vocabSize: number;
  /** Context length the model was trained for. */
  trainedContext: number;
  /** Sliding-window attention: `layers` of the KV layers cache only the last `tokens` tokens. */
  slidingWindow?: { tokens: number; layers: number };
  /** Recurrent state per sequence of hybrid and recurrent models. Default 0. */
  recurrentStateBytes?: number;
  /** Weights in memory with every layer offloaded (node-llama-cpp's GgufInsights). Default fileSizeBytes. */
  estimateWeightsBytes?: number;
  /**
   * Everything one context of `contextSize` tokens needs (KV cache, recurrent state, compute and output
   * buffers), e.g. from GgufInsights. Default: the KV formula plus a compute heuristic.
   */
  estimateContextBytes?: (contextSize: number) => number;
}
