import type { z } from 'zod';
import type { ModelRole } from '../../shared/modelRole.js';
import type { PhaseName } from '../../shared/phaseName.js';

/** Where in the loop a model call happens; backends may ignore it, the scripted backend keys on it. */
export interface ModelCallMeta {
  taskId: string;
  phase: PhaseName;
  /** 1-based attempt number within the task. */
  attempt: number;
}

export interface ModelRequest<T> {
  role: ModelRole;
  /** Versioned prompt id, e.g. `coder-green@1`, recorded with the call. */
  promptId: string;
  system: string;
  user: string;
  /** Output must be JSON matching this schema; backends constrain generation with it and validate again. */
  schema: z.ZodType<T>;
  meta: ModelCallMeta;
  /** Sampling temperature. Default: the backend's per-role setting. */
  temperature?: number;
  seed?: number;
  /** Maximum output tokens. Default: the backend's per-role setting. */
  maxTokens?: number;
  signal?: AbortSignal;
  /** Receives output text as it is generated. */
  onToken?: (text: string) => void;
}

export interface ModelUsage {
  promptTokens: number;
  outputTokens: number;
  /** Wall time of the whole call in milliseconds. */
  durationMs: number;
  /** Milliseconds until the first output token; null when the backend cannot tell. */
  timeToFirstTokenMs: number | null;
}

export interface ModelResult<T> {
  value: T;
  /** The raw output text. */
  text: string;
  model: string;
  backend: string;
  usage: ModelUsage;
}

/**
 * The engine's only way to reach models. Implementations throw `ModelOutputError` (from
 * `engine/models/ModelOutputError.ts`) when output does not parse or validate, so the loop can retry.
 */
export interface ModelClient {
  generate<T>(request: ModelRequest<T>): Promise<ModelResult<T>>;
  /** Which model and backend serve a role, for the audit record. */
  describe(role: ModelRole): { model: string; backend: string };
  dispose(): Promise<void>;
}
