import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runGates } from '../../../../src/engine/gates/runGates.js';
import { createBubblewrapSandbox, type BubblewrapSandbox } from '../../../../src/sandbox/native/createBubblewrapSandbox.js';
import { detectStack } from '../../../../src/engine/stack/detectStack.js';
import { applyEdits } from '../../../../src/engine/workspace/applyEdits.js';
import type { FileEdit } from '../../../../src/shared/fileEditSchema.js';
import { projectConfigSchema } from '../../../../src/shared/projectConfigSchema.js';
import { bubblewrapWorks } from '../../../utils/bubblewrapWorks.js';
import { createPythonProject } from '../../../utils/createPythonProject.js';

const DIVIDE = 'def divide(a, b):\n    if b == 0:\n        raise ValueError("cannot divide by zero")\n    return a / b\n';
const DIVIDE_TEST =
  'import pytest\n\nfrom calc import divide\n\n\ndef test_divide():\n    assert divide(6, 3) == 2\n\n\ndef test_divide_by_zero():\n    with pytest.raises(ValueError):\n        divide(1, 0)\n';
const SCOPE = { plannedFiles: ['calc.py'], testFiles: ['tests/test_divide.py'] };

describe.skipIf(!bubblewrapWorks())('runGates through the bubblewrap sandbox', () => {
  let root: string;
  let sandbox: BubblewrapSandbox;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'nightshift-bwrap-gates-'));
    sandbox = createBubblewrapSandbox({ workspaceDir: root });
  });
  afterAll(async () => {
    await sandbox.dispose();
    rmSync(root, { recursive: true, force: true });
  });

  async function gate(edits: FileEdit[]) {
    const dir = createPythonProject({ dir: mkdtempSync(join(root, 'ws-')) });
    const config = projectConfigSchema.parse({ commandTimeoutMs: 60_000 });
    const stack = await detectStack({ root: dir, config });
    const changes = await applyEdits({ root: dir, edits });
    const report = await runGates({ workspaceDir: dir, changes, scope: SCOPE, stack, config, sandbox, applied: true });
    return { dir, report, rail: (name: string) => report.rails.find((rail) => rail.name === name) };
  }

  it('says GO for a correct change with a biting test: syntax, bite and suite all ran sandboxed', async () => {
    const run = await gate([
      { kind: 'replace', path: 'calc.py', search: '    return a + b\n', replace: `    return a + b\n\n\n${DIVIDE}` },
      { kind: 'write', path: 'tests/test_divide.py', content: DIVIDE_TEST },
    ]);
    expect(run.report.rails.filter((rail) => !rail.passed)).toEqual([]);
    expect(run.report.verdict).toBe('GO');
    expect(run.rail('bite')?.detail).toMatch(/^2 new or changed test\(s\) pass with the code; 2\/2 new test\(s\) fail with the code stubbed out; [1-9]\d*\/\d+ mutants killed/);
    expect(readFileSync(join(run.dir, 'calc.py'), 'utf8')).toContain('def divide');
  });

  it('says NO_GO when the code does not make the new test pass', async () => {
    const run = await gate([
      { kind: 'replace', path: 'calc.py', search: '    return a + b\n', replace: '    return a + b\n\n\ndef divide(a, b):\n    return a * b\n' },
      { kind: 'write', path: 'tests/test_divide.py', content: DIVIDE_TEST },
    ]);
    expect(run.report.verdict).toBe('NO_GO');
    expect(run.rail('suite')?.passed).toBe(false);
    expect(run.rail('suite')?.detail).toContain('tests/test_divide.py::test_divide failed: assert 18 == 2');
    expect(run.rail('bite')).toMatchObject({ passed: false, failureType: 'patch' });
  });
});
