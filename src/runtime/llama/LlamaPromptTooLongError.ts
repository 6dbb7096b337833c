import { NightshiftError } from '../../shared/NightshiftError.js';

/** A prompt does not fit its role's context window with room for output, so it is refused instead of truncated. */
export class LlamaPromptTooLongError extends NightshiftError {
  constructor(options: {
    role: string;
    promptId: string;
    /** Tokens of the chat-formatted system and user prompt. */
    promptTokens: number;
    /** The role's context window in tokens. */
    contextSize: number;
  }) {
    super({
      code: 'MODEL_PROMPT_TOO_LONG',
      message: `The ${options.role} prompt ${options.promptId} takes ${options.promptTokens} tokens, leaving no room for output in a ${options.contextSize}-token context.`,
      hint: `Raise contextSize for the ${options.role} role, or send less context (fewer or smaller files) in the prompt.`,
      context: { ...options },
    });
  }
}
