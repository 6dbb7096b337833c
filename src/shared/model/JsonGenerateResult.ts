import type { ModelUsage } from './ModelUsage.js';

/** A backend's answer: the text as generated, not yet parsed or validated. */
export interface JsonGenerateResult {
  /** The raw output text (expected to be JSON; the caller parses and validates it). */
  text: string;
  model: string;
  backend: string;
  usage: ModelUsage;
}
