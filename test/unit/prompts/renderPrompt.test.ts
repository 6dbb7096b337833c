import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { PromptBudgetError } from '../../../src/engine/prompts/PromptBudgetError.js';
import { PromptRenderError } from '../../../src/engine/prompts/PromptRenderError.js';
import type { PromptTemplate } from '../../../src/engine/prompts/PromptTemplate.js';
import { renderPrompt } from '../../../src/engine/prompts/renderPrompt.js';

const schema = z.object({ verdict: z.enum(['GO', 'NO_GO']) });
const template: PromptTemplate = {
  id: 'demo',
  version: 2,
  role: 'coder',
  system: 'You fix {{ task }}.',
  user: 'Task: {{task}}\nRun: {{testCommand}}\nFiles:\n{{files}}\nLog:\n{{log}}',
};

describe('renderPrompt', () => {
  it('fills placeholders once, appends the JSON schema and estimates tokens', () => {
    const rendered = renderPrompt({
      template,
      values: { task: 'divide {{files}}', testCommand: 'pytest', files: 'a.py', log: 'ok', unused: 'ignored' },
      schema,
      budgetTokens: 10_000,
    });
    expect(rendered.promptId).toBe('demo@2');
    expect(rendered.user).toBe('Task: divide {{files}}\nRun: pytest\nFiles:\na.py\nLog:\nok');
    expect(rendered.system.startsWith('You fix divide {{files}}.\n\n## Output JSON Schema\n\n')).toBe(true);
    const marker = '\n\n## Output JSON Schema\n\n';
    const appended = JSON.parse(rendered.system.slice(rendered.system.indexOf(marker) + marker.length));
    expect(appended).toMatchObject({ type: 'object', properties: { verdict: { enum: ['GO', 'NO_GO'] } } });
    expect(appended).not.toHaveProperty('$schema');
    expect(rendered.estimatedTokens).toBe(Math.ceil((rendered.system.length + rendered.user.length) / 3.5));
  });

  it('rejects placeholders without values and protected values marked trimmable', () => {
    const missing = () => renderPrompt({ template, values: { task: 't', testCommand: 'c' }, schema, budgetTokens: 1000 });
    expect(missing).toThrow(PromptRenderError);
    expect(missing).toThrow('Cannot render prompt demo@2: no value for {{files}}, {{log}}');
    const trimmedTask = () =>
      renderPrompt({ template, values: { task: { text: 't', trimmable: true, priority: 1 }, testCommand: 'c', files: '', log: '' }, schema, budgetTokens: 1000 });
    expect(trimmedTask).toThrow('task may not be trimmable');
  });

  it('trims the lowest priority value first, from the middle, and only as much as needed', () => {
    const files = `HEAD${'f'.repeat(3000)}TAIL`;
    const log = `START${'l'.repeat(3000)}END`;
    const values = {
      task: 'divide',
      testCommand: 'pytest -q',
      files: { text: files, trimmable: true as const, priority: 2 },
      log: { text: log, trimmable: true as const, priority: 1 },
    };
    const full = renderPrompt({ template, values, schema, budgetTokens: 100_000 });
    const budgetTokens = full.estimatedTokens - 500;
    const rendered = renderPrompt({ template, values, schema, budgetTokens });

    expect(rendered.estimatedTokens).toBeLessThanOrEqual(budgetTokens);
    expect(rendered.estimatedTokens).toBeGreaterThan(budgetTokens - 20);
    expect(rendered.user).toContain(files);
    const logPart = rendered.user.slice(rendered.user.indexOf('Log:\n') + 5);
    expect(logPart.startsWith('START')).toBe(true);
    expect(logPart.endsWith('END')).toBe(true);
    const omitted = Number(/\[\.\.\. (\d+) chars omitted \.\.\.\]/.exec(logPart)?.[1]);
    expect(omitted).toBeGreaterThan(1700);
    expect(logPart.length).toBe(log.length - omitted + `\n[... ${omitted} chars omitted ...]\n`.length);
  });

  it('moves on to the next value when the first is used up, and never cuts the task', () => {
    const task = `TASK ${'t'.repeat(2000)}`;
    const values = {
      task,
      testCommand: 'pytest',
      files: { text: 'x'.repeat(4000), trimmable: true as const, priority: 5 },
      log: { text: 'y'.repeat(500), trimmable: true as const, priority: 1 },
    };
    const rendered = renderPrompt({ template, values, schema, budgetTokens: 1500 });
    expect(rendered.estimatedTokens).toBeLessThanOrEqual(1500);
    expect(rendered.user).toContain('Log:\n\n[... 500 chars omitted ...]\n');
    expect(rendered.user).toMatch(/x+\n\[\.\.\. \d+ chars omitted \.\.\.\]\nx+/);
    expect(rendered.user.split(task)).toHaveLength(2);
    expect(rendered.system).toContain(task);
  });

  it('counts a value used twice when deciding how much to cut', () => {
    const twice: PromptTemplate = { ...template, system: 'Context: {{files}}', user: 'Again: {{files}}' };
    const values = { files: { text: 'z'.repeat(6000), trimmable: true as const, priority: 1 } };
    const rendered = renderPrompt({ template: twice, values, schema, budgetTokens: 1000 });
    expect(rendered.estimatedTokens).toBeLessThanOrEqual(1000);
    expect(rendered.estimatedTokens).toBeGreaterThan(990);
  });

  it('fails with the sizes of the fixed values when trimming cannot reach the budget', () => {
    const render = () =>
      renderPrompt({
        template,
        values: { task: 'a'.repeat(5000), testCommand: 'pytest', files: { text: 'b'.repeat(100), trimmable: true, priority: 1 }, log: '' },
        schema,
        budgetTokens: 500,
      });
    expect(render).toThrow(PromptBudgetError);
    try {
      render();
    } catch (error) {
      expect((error as PromptBudgetError).context).toMatchObject({ budgetTokens: 500, fixedValues: { task: 5000, testCommand: 6, log: 0 } });
      expect((error as PromptBudgetError).code).toBe('PROMPT_OVER_BUDGET');
    }
  });
});
