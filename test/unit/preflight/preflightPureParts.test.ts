import { describe, expect, it } from 'vitest';
import { describePreflightFailure } from '../../../src/engine/preflight/describePreflightFailure.js';
import { formatPreflight } from '../../../src/engine/preflight/formatPreflight.js';
import { judgeDiskSpace } from '../../../src/engine/preflight/judgeDiskSpace.js';
import type { PreflightReport } from '../../../src/engine/preflight/PreflightReport.js';
import { readRequirementNames } from '../../../src/engine/preflight/readRequirementNames.js';
import { runnerProbeCommand } from '../../../src/engine/preflight/runnerProbeCommand.js';
import type { StackProfile } from '../../../src/shared/StackProfile.js';

const GIB = 1024 ** 3;

describe('readRequirementNames', () => {
  it('turns requirement lines into import names, skipping options, URLs, paths and comments', () => {
    const text = [
      '# web',
      'Flask-Cors>=4.0 ; python_version > "3.8"',
      'PyYAML==6.0  # config',
      'requests[socks]~=2.31',
      'python_dateutil',
      '-r dev.txt',
      '--index-url https://example.com/simple',
      '-e .',
      'git+https://example.com/x.git#egg=x',
      './local-wheel.whl',
      'requests',
      'Pillow',
      '',
    ].join('\n');
    expect(readRequirementNames({ text })).toEqual(['flask_cors', 'yaml', 'requests', 'dateutil', 'PIL']);
  });
});

describe('runnerProbeCommand', () => {
  const stack = (overrides: Partial<StackProfile>): StackProfile => ({
    name: 'custom',
    testCommand: 'make test',
    testFileCommand: () => '',
    isTestFile: () => false,
    sourceLanguage: 'unknown',
    runner: null,
    ...overrides,
  });
  it.each([
    [{ runner: 'pytest' as const, testCommand: 'python3 -m pytest -q -p no:cacheprovider' }, 'python3 -m pytest --version'],
    [{ runner: 'pytest' as const, testCommand: '.venv/bin/python -m pytest' }, '.venv/bin/python -m pytest --version'],
    [{ runner: 'pytest' as const, testCommand: 'pytest -q' }, 'pytest --version'],
    [{ runner: 'vitest' as const, testCommand: 'npx vitest run' }, 'npx --no-install vitest --version'],
    [{ runner: 'vitest' as const, testCommand: 'vitest run' }, 'vitest --version'],
    [{ runner: 'node-test' as const, testCommand: 'node --test' }, 'node --version'],
    [{ runner: null, testCommand: 'CI=1 ./run-tests.sh --fast' }, 'command -v ./run-tests.sh'],
  ])('%o -> %s', (overrides, expected) => {
    expect(runnerProbeCommand({ stack: stack(overrides) })).toBe(expected);
  });
});

describe('judgeDiskSpace', () => {
  it.each([
    [0.5 * GIB, 'failed'],
    [3 * GIB, 'warning'],
    [50 * GIB, 'ok'],
  ])('%d bytes free is %s', (freeBytes, status) => {
    const check = judgeDiskSpace({ dir: '/data/workspaces', freeBytes });
    expect(check.status).toBe(status);
    expect(check.detail).toContain('/data/workspaces');
    expect(check.fix === '').toBe(status === 'ok');
  });
});

describe('formatPreflight and describePreflightFailure', () => {
  const report: PreflightReport = {
    ok: false,
    checks: [
      { id: 'disk', title: 'disk space for the workspace', status: 'ok', detail: '80.0 GiB free', fix: '' },
      { id: 'model:coder', title: 'coder model answers', status: 'failed', detail: 'm (openai-http) failed: Cannot reach http://127.0.0.1:9/v1', fix: 'Start the model server.' },
      { id: 'baseline', title: 'test suite passes at the starting commit', status: 'warning', detail: 'Already failing: t1\n$ pytest (exit 1)', fix: 'Allowed.' },
    ],
  };
  it('prints one line per check, details indented, and the fix for what is not ok', () => {
    expect(formatPreflight({ report })).toBe(
      [
        'Preflight: 1 check(s) failed; the night cannot start (1 warning(s))',
        '  ✓ disk space for the workspace: 80.0 GiB free',
        '  ✗ coder model answers: m (openai-http) failed: Cannot reach http://127.0.0.1:9/v1',
        '      fix: Start the model server.',
        '  ! test suite passes at the starting commit: Already failing: t1',
        '      $ pytest (exit 1)',
        '      fix: Allowed.',
        '',
      ].join('\n'),
    );
  });
  it('names each failed check with its fix as the session reason', () => {
    expect(describePreflightFailure({ report })).toBe('preflight: coder model answers failed: m (openai-http) failed: Cannot reach http://127.0.0.1:9/v1 Fix: Start the model server.');
  });
});
