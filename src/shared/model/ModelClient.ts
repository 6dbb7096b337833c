import type { ModelRole } from '../modelRole.js';
import type { ModelRequest } from './ModelRequest.js';
import type { ModelResult } from './ModelResult.js';

/**
 * The engine's only way to reach models. Built from a JsonModelBackend by createModelClientFromBackend,
 * the one bridge; it throws ModelOutputError when output does not parse or validate, so the loop can retry.
 */
export interface ModelClient {
  generate<T>(request: ModelRequest<T>): Promise<ModelResult<T>>;
  /** Which model and backend serve a role, for the audit record. */
  describe(role: ModelRole): { model: string; backend: string };
  dispose(): Promise<void>;
}
