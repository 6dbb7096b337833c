import type { z } from 'zod';
import type { PromptValue } from './PromptValue.js';
import type { RenderedPrompt } from './RenderedPrompt.js';

/** Rendered prompts by id, with the versioned templates loaded once. */
export interface PromptLibrary {
  /** Loads (once) and renders a prompt; see renderPrompt for trimming and errors. */
  render(options: {
    /** Template id, e.g. `coder-green`. */
    id: string;
    values: Record<string, PromptValue>;
    /** Output schema appended to the system text. */
    schema: z.ZodType;
    /** Upper bound for system plus user, in estimated tokens. */
    budgetTokens: number;
  }): Promise<RenderedPrompt>;
}
