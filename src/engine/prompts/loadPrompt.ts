import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { modelRoleSchema } from '../../shared/modelRole.js';
import { findPackageRoot } from '../../node/findPackageRoot.js';
import { PromptLoadError } from './PromptLoadError.js';
import type { PromptTemplate } from './PromptTemplate.js';

const ID = /^[a-z0-9][a-z0-9-]*$/;

/**
 * Reads `<dir>/<id>.md`: front matter between `---` lines with `id` (must equal the file's id),
 * `version` (a positive integer) and `role` (brain, coder or qa), then a `# System` section and a
 * `# User` section, in that order. Throws PromptLoadError when the file is missing or malformed.
 */
export async function loadPrompt(options: {
  /** Prompt id, e.g. `coder-green`: lowercase letters, digits and dashes. */
  id: string;
  /** Directory of prompt files. Default: `resources/prompts` in the Nightshift package root. */
  dir?: string;
}): Promise<PromptTemplate> {
  const { id } = options;
  if (!ID.test(id)) throw new PromptLoadError({ id, path: null, problem: 'the id may only use lowercase letters, digits and dashes' });
  const path = join(options.dir ?? defaultDir(id), `${id}.md`);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new PromptLoadError({ id, path, problem: `cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`, cause: error });
  }
  const fail = (problem: string): never => {
    throw new PromptLoadError({ id, path, problem });
  };

  const match = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text.replace(/\r\n?/g, '\n'));
  if (!match) return fail('it does not start with front matter between "---" lines');
  const meta = new Map<string, string>();
  for (const line of match[1]!.split('\n')) {
    if (line.trim() === '') continue;
    const pair = /^([A-Za-z]+):\s*(.*?)\s*$/.exec(line);
    if (!pair) return fail(`front matter line "${line}" is not "key: value"`);
    meta.set(pair[1]!, pair[2]!);
  }
  if (meta.get('id') !== id) fail(`front matter id is "${meta.get('id') ?? ''}", expected "${id}"`);
  const version = Number(meta.get('version'));
  if (!Number.isInteger(version) || version < 1) fail(`front matter version "${meta.get('version') ?? ''}" is not a positive integer`);
  const role = modelRoleSchema.safeParse(meta.get('role'));
  if (!role.success) return fail(`front matter role "${meta.get('role') ?? ''}" is not one of ${modelRoleSchema.options.join(', ')}`);

  const lines = match[2]!.split('\n');
  const systemAt = sectionLine(lines, 'System', fail);
  const userAt = sectionLine(lines, 'User', fail);
  if (userAt < systemAt) fail('the "# User" section comes before "# System"');
  const system = lines.slice(systemAt + 1, userAt).join('\n').trim();
  const user = lines.slice(userAt + 1).join('\n').trim();
  if (system === '' || user === '') fail(`the "# ${system === '' ? 'System' : 'User'}" section is empty`);
  return { id, version, role: role.data, system, user };
}

function sectionLine(lines: string[], name: string, fail: (problem: string) => never): number {
  const found = lines.flatMap((line, index) => (line.trim() === `# ${name}` ? [index] : []));
  if (found.length !== 1) fail(`expected exactly one "# ${name}" line, found ${found.length}`);
  return found[0]!;
}

function defaultDir(id: string): string {
  const root = findPackageRoot({ from: fileURLToPath(new URL('.', import.meta.url)) });
  if (!root) throw new PromptLoadError({ id, path: null, problem: 'no package.json found above the Nightshift code, so resources/prompts cannot be located' });
  return join(root, 'resources', 'prompts');
}
