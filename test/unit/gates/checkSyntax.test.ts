import { afterAll, describe, expect, it } from 'vitest';
import { projectConfigSchema } from '../../../src/shared/projectConfigSchema.js';
import type { FileChange } from '../../../src/engine/ports/Vcs.js';
import { checkSyntax } from '../../../src/engine/gates/checkSyntax.js';
import { createLocalSandbox } from '../../../src/sandbox/createLocalSandbox.js';
import { writeFiles } from '../../utils/createGitRepo.js';
import { makeTempDir } from '../../utils/makeTempDir.js';

const sandbox = createLocalSandbox();
afterAll(() => sandbox.dispose());
const config = projectConfigSchema.parse({ commandTimeoutMs: 30_000 });

/** Writes the after side to a temp workspace, as the loop would, and runs the rail. */
async function syntax(changes: FileChange[], skipCommands: string | null = null) {
  const workspaceDir = makeTempDir();
  writeFiles(workspaceDir, Object.fromEntries(changes.filter((change) => change.after !== null).map((change) => [change.path, change.after as string])));
  return checkSyntax({ workspaceDir, changes, sandbox, config, skipCommands, localPaths: changes.map((change) => change.path) });
}

const add = (path: string, after: string): FileChange => ({ path, before: null, after });

describe('checkSyntax', () => {
  it('passes valid Python, TS, JS, JSON and JSONC files and ignores other files', async () => {
    const rail = await syntax([
      add('calc.py', 'def add(a, b):\n    return a + b\n'),
      add('pkg/b.py', 'X = [1, 2]\n'),
      add('src/a.ts', 'export const x: number = 1;\n'),
      add('src/c.tsx', 'export const C = () => <div>hi</div>;\n'),
      add('src/d.mjs', 'export default 1;\n'),
      add('data.json', '{"a": [1, 2]}\n'),
      add('tsconfig.json', '{\n  // comment\n  "compilerOptions": {},\n}\n'),
      add('notes.md', '# not code ((\n'),
      { path: 'gone.py', before: 'x = (\n', after: null },
    ]);
    expect(rail).toMatchObject({ name: 'syntax', passed: true, detail: '7 file(s) parse' });
  });

  it('reports Python syntax errors with file and line, from one command for all files', async () => {
    const rail = await syntax([
      add('ok.py', 'x = 1\n'),
      add('bad.py', 'x = 1\ndef f(:\n    pass\n'),
      add('pkg/indent.py', 'def g():\nreturn 1\n'),
    ]);
    expect(rail).toMatchObject({ passed: false, failureType: 'patch', file: 'bad.py' });
    expect(rail.detail).toContain('bad.py:2: SyntaxError');
    expect(rail.detail).toContain('pkg/indent.py:2: IndentationError');
    expect(rail.detail).not.toContain('ok.py');
  });

  it('reports TS and JS parse errors with file and line', async () => {
    const rail = await syntax([add('src/a.ts', 'export const x = 1;\nconst y = (;\nexport const z = 2;\n'), add('src/b.js', 'const y: number = 2;\n')]);
    expect(rail.passed).toBe(false);
    expect(rail.file).toBe('src/a.ts');
    expect(rail.detail).toContain('src/a.ts:2: Expression expected.');
    expect(rail.detail).toContain('src/b.js:1: Type annotations can only be used in TypeScript files.');
  });

  it('reports invalid JSON with file and line', async () => {
    const rail = await syntax([add('config/app.json', '{\n  "a": 1,\n}\n')]);
    expect(rail).toMatchObject({ passed: false, file: 'config/app.json' });
    expect(rail.detail).toMatch(/^config\/app\.json:3: /);
  });

  it('skips the Python check, without running it, when commands may not run', async () => {
    const rail = await syntax([add('bad.py', 'def f(:\n')], 'the changes could not be written to the workspace');
    expect(rail).toMatchObject({ passed: false, skipped: true });
    expect(rail.detail).toContain('Python syntax not checked: the changes could not be written');
  });

  it('still fails on in-memory errors when the Python part is skipped', async () => {
    const rail = await syntax([add('a.py', 'x = 1\n'), add('b.json', '{')], 'no commands');
    expect(rail).toMatchObject({ passed: false, failureType: 'patch', file: 'b.json' });
    expect(rail.skipped).toBeUndefined();
    expect(rail.detail).toContain('(Python files not checked: no commands)');
  });
});
