import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPrompt } from '../../../src/engine/prompts/loadPrompt.js';
import { PromptLoadError } from '../../../src/engine/prompts/PromptLoadError.js';
import { makeTempDir } from '../../utils/makeTempDir.js';

const SHIPPED = ['brain-plan', 'coder-red', 'coder-green', 'qa-review'];

async function loadError(dir: string, id: string): Promise<PromptLoadError> {
  const error: unknown = await loadPrompt({ id, dir }).then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(PromptLoadError);
  return error as PromptLoadError;
}

describe('loadPrompt', () => {
  it('loads every shipped prompt from resources/prompts by default', async () => {
    const roles = { 'brain-plan': 'brain', 'coder-red': 'coder', 'coder-green': 'coder', 'qa-review': 'qa' };
    for (const id of SHIPPED) {
      const template = await loadPrompt({ id });
      expect(template).toMatchObject({ id, version: 1, role: roles[id as keyof typeof roles] });
      expect(template.system).not.toMatch(/^# |\n# (System|User)\n/);
      expect(template.user).toContain('{{task}}');
    }
  });

  it('keeps the lessons the loop depends on in the shipped prompts', async () => {
    const text = async (id: string) => {
      const template = await loadPrompt({ id });
      return `${template.system}\n${template.user}`;
    };
    expect(await text('coder-green')).toMatch(/Never touch tests/);
    expect(await text('coder-green')).toMatch(/about 80 lines/);
    expect(await text('coder-red')).toMatch(/must FAIL, and for the right reason/);
    expect(await text('coder-red')).toMatch(/Decimal/);
    expect(await text('brain-plan')).toMatch(/Required imports/);
    expect(await text('qa-review')).toMatch(/character for character/);
    for (const id of SHIPPED) expect(await text(id)).toMatch(/ONLY one JSON object/);
  });

  it('splits front matter, system and user sections', async () => {
    const dir = makeTempDir();
    writeFileSync(
      join(dir, 'demo.md'),
      '---\r\nid: demo\r\nversion: 3\r\nrole: qa\r\n---\r\n\r\n# System\r\n\r\nBe strict.\r\n## Rules\r\n- one\r\n\r\n# User\r\n\r\nReview {{diff}}.\r\n',
    );
    expect(await loadPrompt({ id: 'demo', dir })).toEqual({
      id: 'demo',
      version: 3,
      role: 'qa',
      system: 'Be strict.\n## Rules\n- one',
      user: 'Review {{diff}}.',
    });
  });

  it('names the file and the problem when a prompt is missing or malformed', async () => {
    const dir = makeTempDir();
    const cases: Array<[string, string, RegExp]> = [
      ['no-front', '# System\na\n# User\nb\n', /does not start with front matter/],
      ['wrong-id', '---\nid: other\nversion: 1\nrole: qa\n---\n# System\na\n# User\nb\n', /front matter id is "other", expected "wrong-id"/],
      ['bad-version', '---\nid: bad-version\nversion: 1.5\nrole: qa\n---\n# System\na\n# User\nb\n', /version "1.5" is not a positive integer/],
      ['bad-role', '---\nid: bad-role\nversion: 1\nrole: boss\n---\n# System\na\n# User\nb\n', /role "boss" is not one of brain, coder, qa/],
      ['no-user', '---\nid: no-user\nversion: 1\nrole: qa\n---\n# System\na\n', /exactly one "# User" line, found 0/],
      ['swapped', '---\nid: swapped\nversion: 1\nrole: qa\n---\n# User\nb\n# System\na\n', /"# User" section comes before/],
      ['empty-user', '---\nid: empty-user\nversion: 1\nrole: qa\n---\n# System\na\n# User\n\n', /"# User" section is empty/],
    ];
    for (const [id, content, problem] of cases) {
      writeFileSync(join(dir, `${id}.md`), content);
      const error = await loadError(dir, id);
      expect(error.message).toMatch(problem);
      expect(error.message).toContain(join(dir, `${id}.md`));
      expect(error.code).toBe('PROMPT_INVALID');
    }
    expect((await loadError(dir, 'absent')).message).toMatch(/cannot read the file \(ENOENT\)/);
    expect((await loadError(dir, '../etc/passwd')).message).toMatch(/only use lowercase letters/);
  });
});
