import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createPromptLibrary } from '../../../src/engine/prompts/createPromptLibrary.js';
import { PromptLoadError } from '../../../src/engine/prompts/PromptLoadError.js';
import { coderOutputSchema } from '../../../src/shared/coderOutputSchema.js';
import { planSchema } from '../../../src/shared/planSchema.js';
import { reviewVerdictSchema } from '../../../src/shared/reviewVerdictSchema.js';
import { makeTempDir } from '../../utils/makeTempDir.js';

describe('createPromptLibrary', () => {
  it('renders every shipped prompt with the values the loop passes, within the loop budgets', async () => {
    const library = createPromptLibrary();
    const common = { task: 'T1: Add divide\n\nRaise ValueError on zero.', testCommand: 'python3 -m pytest -q tests/test_divide.py', feedback: 'none' };
    const rendered = await Promise.all([
      library.render({
        id: 'brain-plan',
        values: { ...common, stack: 'python', repoFiles: { text: 'calc/basic.py', trimmable: true, priority: 1 }, relevantFiles: 'none' },
        schema: planSchema,
        budgetTokens: 6000,
      }),
      library.render({
        id: 'coder-red',
        values: { ...common, plan: 'Test file: tests/test_divide.py', testFile: 'tests/test_divide.py', requiredImports: 'none', relevantFiles: '' },
        schema: coderOutputSchema,
        budgetTokens: 12_000,
      }),
      library.render({
        id: 'coder-green',
        values: { ...common, plan: 'p', testFile: 'tests/test_divide.py', testContent: 'def test(): ...', requiredImports: 'none', relevantFiles: '' },
        schema: coderOutputSchema,
        budgetTokens: 12_000,
      }),
      library.render({
        id: 'qa-review',
        values: { task: common.task, plan: 'p', gates: 'all passed', diff: { text: '+x', trimmable: true, priority: 1 } },
        schema: reviewVerdictSchema,
        budgetTokens: 8000,
      }),
    ]);
    expect(rendered.map((prompt) => prompt.promptId)).toEqual(['brain-plan@1', 'coder-red@1', 'coder-green@1', 'qa-review@1']);
    for (const prompt of rendered) {
      expect(prompt.user).toContain('Raise ValueError on zero.');
      expect(`${prompt.system}${prompt.user}`).not.toMatch(/\{\{/);
      expect(prompt.estimatedTokens).toBeLessThan(3000);
    }
  });

  it('reads a template once, but retries one that failed to load', async () => {
    const dir = makeTempDir();
    const library = createPromptLibrary({ dir });
    const render = () => library.render({ id: 'demo', values: { x: '1' }, schema: planSchema, budgetTokens: 5000 });
    await expect(render()).rejects.toBeInstanceOf(PromptLoadError);

    writeFileSync(join(dir, 'demo.md'), '---\nid: demo\nversion: 1\nrole: brain\n---\n# System\nS\n# User\nU {{x}}\n');
    expect((await render()).user).toBe('U 1');
    rmSync(join(dir, 'demo.md'));
    expect((await render()).user).toBe('U 1');
  });
});
