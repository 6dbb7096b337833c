import { z } from 'zod';
import { PromptBudgetError } from './PromptBudgetError.js';
import { PromptRenderError } from './PromptRenderError.js';
import type { PromptTemplate } from './PromptTemplate.js';
import type { PromptValue } from './PromptValue.js';
import type { RenderedPrompt } from './RenderedPrompt.js';

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;
/** The ask, its proof and how to run it: without them the model cannot do the task, so they are never cut. */
const NEVER_TRIMMED = new Set(['task', 'definitionOfDone', 'testCommand']);
const CHARS_PER_TOKEN = 3.5;

/**
 * Fills a template's `{{placeholders}}` (one pass: text inside values is never expanded), appends the
 * output's JSON Schema to the system text, and fits the whole into `budgetTokens`, estimated as
 * ceil(characters / 3.5). When over budget, trimmable values are cut from the middle, lowest priority
 * first (ties in the order given), each leaving `[... N chars omitted ...]`, until the prompt fits.
 *
 * Throws PromptRenderError for a placeholder without a value or for `task`, `definitionOfDone` or
 * `testCommand` marked trimmable; PromptBudgetError when even full trimming does not fit. Values for
 * names the template does not use are ignored.
 */
export function renderPrompt(options: {
  template: PromptTemplate;
  /** Placeholder name -> text, or `{ text, trimmable: true, priority }` for text that may be cut. */
  values: Record<string, PromptValue>;
  /** The output schema the reply must match; its JSON Schema goes at the end of the system text. */
  schema: z.ZodType;
  /** Maximum estimated prompt tokens (system plus user). */
  budgetTokens: number;
}): RenderedPrompt {
  const { template, values } = options;
  const promptId = `${template.id}@${template.version}`;
  const used = new Map<string, number>();
  for (const part of [template.system, template.user]) {
    for (const match of part.matchAll(PLACEHOLDER)) used.set(match[1]!, (used.get(match[1]!) ?? 0) + 1);
  }
  const missing = [...used.keys()].filter((name) => !Object.hasOwn(values, name));
  if (missing.length > 0) {
    throw new PromptRenderError({ promptId, problem: `no value for ${missing.map((name) => `{{${name}}}`).join(', ')}`, context: { missing } });
  }
  const protectedTrimmable = Object.keys(values).filter((name) => NEVER_TRIMMED.has(name) && typeof values[name] !== 'string');
  if (protectedTrimmable.length > 0) {
    throw new PromptRenderError({
      promptId,
      problem: `${protectedTrimmable.join(', ')} may not be trimmable`,
      context: { protectedTrimmable },
    });
  }

  const jsonSchema: Record<string, unknown> = z.toJSONSchema(options.schema);
  delete jsonSchema.$schema;
  const schemaText = `\n\n## Output JSON Schema\n\n${JSON.stringify(jsonSchema)}`;
  const texts = new Map(Object.entries(values).map(([name, value]) => [name, typeof value === 'string' ? value : value.text]));
  const fill = (part: string) => part.replace(PLACEHOLDER, (_, name: string) => texts.get(name)!);
  const render = () => {
    const system = fill(template.system) + schemaText;
    const user = fill(template.user);
    return { system, user, promptId, estimatedTokens: Math.ceil((system.length + user.length) / CHARS_PER_TOKEN) };
  };

  const maxChars = Math.floor(options.budgetTokens * CHARS_PER_TOKEN);
  let rendered = render();
  const trimOrder = Object.entries(values)
    .flatMap(([name, value]) => (typeof value === 'string' || !used.has(name) ? [] : [{ name, ...value }]))
    .sort((a, b) => a.priority - b.priority);
  for (const value of trimOrder) {
    const excess = rendered.system.length + rendered.user.length - maxChars;
    if (excess <= 0) break;
    const occurrences = used.get(value.name)!;
    // The marker's length is counted at its widest so one cut is always enough for this value's share.
    const markerWidth = omittedMarker(value.text.length).length;
    const keep = Math.max(0, value.text.length - Math.ceil(excess / occurrences) - markerWidth);
    texts.set(value.name, trimMiddle(value.text, keep));
    rendered = render();
  }
  if (rendered.system.length + rendered.user.length > maxChars) {
    const fixedValues = Object.fromEntries(
      Object.entries(values)
        .filter(([name, value]) => typeof value === 'string' && used.has(name))
        .map(([name, value]) => [name, (value as string).length] as const)
        .sort((a, b) => b[1] - a[1]),
    );
    throw new PromptBudgetError({ promptId, estimatedTokens: rendered.estimatedTokens, budgetTokens: options.budgetTokens, fixedValues });
  }
  return rendered;
}

function omittedMarker(count: number): string {
  return `\n[... ${count} chars omitted ...]\n`;
}

/** Keeps `keep` characters, half from the start and half from the end, with a marker in between. */
function trimMiddle(text: string, keep: number): string {
  if (keep >= text.length) return text;
  const head = Math.ceil(keep / 2);
  const tail = keep - head;
  return `${text.slice(0, head)}${omittedMarker(text.length - keep)}${text.slice(text.length - tail)}`;
}
