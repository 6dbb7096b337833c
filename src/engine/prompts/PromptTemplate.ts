import type { ModelRole } from '../../shared/modelRole.js';

/** A versioned prompt read from `resources/prompts/<id>.md`. */
export interface PromptTemplate {
  /** File name without `.md`, e.g. `coder-green`. */
  id: string;
  /** Bumped whenever the wording changes, so recorded calls name the exact prompt. */
  version: number;
  /** The model role the prompt is written for. */
  role: ModelRole;
  /** System text with `{{placeholders}}`. */
  system: string;
  /** User text with `{{placeholders}}`. */
  user: string;
}
