import type { ModelUsage } from './ModelUsage.js';

/** A validated answer to a ModelRequest. */
export interface ModelResult<T> {
  value: T;
  /** The raw output text. */
  text: string;
  model: string;
  backend: string;
  usage: ModelUsage;
}
