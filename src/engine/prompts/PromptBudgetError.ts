import { NightshiftError } from '../../shared/NightshiftError.js';

/** A prompt does not fit the token budget even with every trimmable value cut down to its marker. */
export class PromptBudgetError extends NightshiftError {
  constructor(options: {
    /** `<id>@<version>`. */
    promptId: string;
    /** Estimate after all trimming. */
    estimatedTokens: number;
    budgetTokens: number;
    /** Character counts of the values that could not be trimmed, largest first. */
    fixedValues: Record<string, number>;
  }) {
    super({
      code: 'PROMPT_OVER_BUDGET',
      message: `Prompt ${options.promptId} needs about ${options.estimatedTokens} tokens even after trimming, over the budget of ${options.budgetTokens}.`,
      hint: "Give the model a larger context window, or split the task: its text or test output alone fills the budget.",
      context: {
        promptId: options.promptId,
        estimatedTokens: options.estimatedTokens,
        budgetTokens: options.budgetTokens,
        fixedValues: options.fixedValues,
      },
    });
  }
}
