import { stat } from 'node:fs/promises';
import { GgufInsights, readGgufFileInfo, type Llama } from 'node-llama-cpp';
import { MissingModelFactsError } from './MissingModelFactsError.js';
import type { ModelFacts } from './ModelFacts.js';

const SPLIT_PART = /-(\d{5})-of-(\d{5})\.gguf$/;

/**
 * Reads a local GGUF file's header (all parts of a split file) into ModelFacts. Memory estimates come
 * from node-llama-cpp's GgufInsights, which knows each architecture's cache layout (sliding windows,
 * recurrent state); the planner reports the plain KV formula beside them.
 */
export async function factsFromGguf(options: {
  /** Path of the GGUF file, or of the first part of a split one. */
  path: string;
  /** A Llama instance to reuse for GgufInsights. Default: node-llama-cpp's slim fallback that loads no backend. */
  llama?: Llama;
  /** Assume flash attention when estimating context memory. Default true. */
  flashAttention?: boolean;
}): Promise<ModelFacts> {
  const { path } = options;
  const info = await readGgufFileInfo(path, { logWarnings: false, sourceType: 'filesystem' });
  const insights = await GgufInsights.from(info, options.llama);
  const arch = info.architectureMetadata;
  const blockCount = arch.block_count;
  if (!blockCount) throw new MissingModelFactsError({ modelId: path, reason: 'its GGUF header has no block_count' });
  const headCount = largest(arch.attention?.head_count) ?? 1;
  const kvHeadsByLayer = arch.attention?.head_count_kv;
  const kvHeads = largest(kvHeadsByLayer) ?? headCount;
  const kvLayers = Array.isArray(kvHeadsByLayer)
    ? kvHeadsByLayer.filter((heads) => heads > 0).length
    : arch.full_attention_interval
      ? Math.floor(blockCount / arch.full_attention_interval)
      : undefined;
  const headDim = arch.attention?.key_length ?? Math.floor((arch.embedding_length ?? 0) / headCount);
  const vocabSize = arch.vocab_size ?? info.metadata.tokenizer?.ggml?.tokens?.length ?? 0;
  const trainedContext = insights.trainContextSize ?? arch.context_length ?? 0;
  const slidingWindow = windowLayers(insights.swaSize, arch.attention?.sliding_window_pattern, blockCount);
  const flashAttention = options.flashAttention ?? true;
  const weights = await insights.estimateModelResourceRequirementsV2({ gpuLayers: insights.totalLayers });
  return {
    fileSizeBytes: await totalFileSize(path),
    blockCount,
    kvHeads,
    headDim,
    headCount,
    vocabSize,
    trainedContext,
    ...(kvLayers === undefined ? {} : { kvLayers }),
    ...(slidingWindow ? { slidingWindow } : {}),
    estimateWeightsBytes: weights.cpuRam + weights.gpuVram,
    // The synchronous estimator keeps the planner pure and synchronous; the asynchronous one falls back to it too.
    estimateContextBytes: (contextSize) => {
      const context = insights.estimateContextResourceRequirements({ contextSize, modelGpuLayers: insights.totalLayers, sequences: 1, flashAttention });
      return context.cpuRam + context.gpuVram;
    },
  };
}

function largest(value: number | readonly number[] | undefined): number | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'number' ? value : Math.max(...value);
}

/** How many layers use the sliding window, when the header says (a period `n` means every nth layer is global). */
function windowLayers(tokens: number | undefined, pattern: number | readonly number[] | undefined, blockCount: number): ModelFacts['slidingWindow'] {
  if (!tokens || pattern === undefined) return undefined;
  const layers = typeof pattern === 'number' ? blockCount - Math.floor(blockCount / pattern) : pattern.filter(Boolean).length;
  return layers > 0 ? { tokens, layers } : undefined;
}

async function totalFileSize(path: string): Promise<number> {
  const split = SPLIT_PART.exec(path);
  if (!split) return (await stat(path)).size;
  const parts = Number(split[2]);
  let total = 0;
  for (let part = 1; part <= parts; part++) {
    total += (await stat(path.replace(SPLIT_PART, `-${String(part).padStart(5, '0')}-of-${split[2]}.gguf`))).size;
  }
  return total;
}
