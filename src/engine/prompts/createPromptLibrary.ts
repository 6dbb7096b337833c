import { loadPrompt } from './loadPrompt.js';
import type { PromptLibrary } from './PromptLibrary.js';
import type { PromptTemplate } from './PromptTemplate.js';
import { renderPrompt } from './renderPrompt.js';

/**
 * A PromptLibrary over prompt files. Each template is read once per library; a failed read is not
 * remembered, so a fixed file is picked up on the next call.
 */
export function createPromptLibrary(options: {
  /** Directory of prompt files. Default: `resources/prompts` in the Nightshift package root. */
  dir?: string;
} = {}): PromptLibrary {
  const templates = new Map<string, Promise<PromptTemplate>>();
  const load = (id: string): Promise<PromptTemplate> => {
    let template = templates.get(id);
    if (!template) {
      template = loadPrompt({ id, ...(options.dir ? { dir: options.dir } : {}) });
      templates.set(id, template);
      template.catch(() => templates.delete(id));
    }
    return template;
  };
  return {
    async render({ id, values, schema, budgetTokens }) {
      return renderPrompt({ template: await load(id), values, schema, budgetTokens });
    },
  };
}
