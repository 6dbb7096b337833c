/** A prompt with its placeholders filled and the output schema appended, ready for a ModelRequest. */
export interface RenderedPrompt {
  system: string;
  user: string;
  /** `<id>@<version>`, e.g. `coder-green@1`. */
  promptId: string;
  /** ceil((system + user characters) / 3.5). */
  estimatedTokens: number;
}
