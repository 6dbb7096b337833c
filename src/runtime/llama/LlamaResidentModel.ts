import type { ModelRole } from '../../shared/modelRole.js';

/** One loaded model file with the roles it serves. */
export interface LlamaResidentModel {
  /** The modelId of the first role (in brain, coder, qa, embedding order) that uses the file. */
  modelId: string;
  /** The file, symlinks resolved. */
  modelPath: string;
  roles: ModelRole[];
  /** Whether the file also serves the embedding role, with its own embedding context. */
  servesEmbedding: boolean;
  /** Layers actually offloaded to the GPU. */
  gpuLayers: number;
  /** Tokens of context allocated for this model: the sum of its roles' context sizes, embedding included. */
  contextSize: number;
  /** GgufInsights' estimate for the weights plus every context, RAM and VRAM together, in bytes. */
  estimatedBytes: number;
  /**
   * What llama.cpp reports it allocated for the weights and every context (RAM and VRAM buffers), in
   * bytes: the change of the Llama's memory usage across the load, so loads by other users of an
   * injected Llama at the same moment would count too.
   */
  measuredBytes: number;
  /**
   * Change of this process's resident set across the load, in bytes; the operating system's view, and a
   * noisy one: mapped weights count only once touched and freed memory is reused, so it can be far below
   * measuredBytes, even negative.
   */
  rssDeltaBytes: number;
  /** Wall time of loading the weights and creating the contexts, in milliseconds. */
  loadMs: number;
}
