/** Which GGUF file serves a role, and how. */
export interface LlamaRoleOptions {
  /** Path of the GGUF file. Roles naming the same file (after resolving symlinks) share one loaded model. */
  modelPath: string;
  /** The name reported as `model` in results and by describe(). */
  modelId: string;
  /** This role's context window in tokens, prompt and output together; each role gets its own context. */
  contextSize: number;
  /**
   * Layers offloaded to the GPU: a count, `'max'` for all, 0 for CPU only. Pinned, never "auto": with
   * several resident models, automatic sizing would depend on load order. Roles sharing a file must agree.
   */
  gpuLayers: number | 'max';
  /** Sampling temperature when the request gives none; 0 is greedy. Default 0. */
  temperature?: number;
  /**
   * Output token cap when the request gives none. Default, and upper bound of any cap: the room the prompt
   * leaves in the context, so generation never shifts the context and never loses the prompt's start.
   */
  maxTokens?: number;
  /**
   * With the backend's budgetBytes: load() leaves this role's model out, and a call loads it when it needs
   * it. A file shared by several roles is on demand only when all of them are. Default false.
   */
  onDemand?: boolean;
  /**
   * With the backend's budgetBytes: once loaded, this role's model is never evicted to make room. A file
   * shared by several roles is pinned when any of them is. Default false.
   */
  pinned?: boolean;
  /**
   * With the backend's budgetBytes: load() loads pinned models first, then higher priorities before lower,
   * then in role order. A file shared by several roles takes the highest. Default 0.
   */
  priority?: number;
}
