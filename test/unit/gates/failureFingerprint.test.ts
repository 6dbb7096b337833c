import { describe, expect, it } from 'vitest';
import { failureFingerprint } from '../../../src/engine/gates/failureFingerprint.js';

const pytestFailure = (workspace: string, duration: string, address: string) =>
  `\u001b[31mE       assert 3 == 4\u001b[0m\nE        +  where 3 = <function add at ${address}>(1, 2)\n\n${workspace}/tests/test_calc.py:12: AssertionError\n1 failed in ${duration}s`;

describe('failureFingerprint', () => {
  it('is 12 hex digits', () => {
    expect(failureFingerprint({ failureType: 'patch', file: 'a.py', stderr: 'boom' })).toMatch(/^[0-9a-f]{12}$/);
  });

  it('is stable across workspaces, durations, addresses, line numbers, colour and spacing', () => {
    const first = failureFingerprint({
      failureType: 'patch',
      file: 'tests/test_calc.py',
      stderr: pytestFailure('/tmp/nightshift-ws-a1b2c3', '0.02', '0x7f0abb2ed8a0'),
    });
    const second = failureFingerprint({
      failureType: 'patch',
      file: 'tests/test_calc.py',
      stderr: pytestFailure('/var/folders/xy/nightshift-ws-zz9', '1.37', '0x10fe3c2d0').replace('assert 3', 'assert   3').replaceAll('\u001b[31m', '').replaceAll('\u001b[0m', ''),
    });
    expect(second).toBe(first);
    const lineMoved = failureFingerprint({ failureType: 'timeout', file: null, stderr: 'timed out: /tmp/ws-1/run.sh line 10' });
    expect(failureFingerprint({ failureType: 'timeout', file: null, stderr: 'timed out: /home/u/ws-2/run.sh line 99' })).toBe(lineMoved);
  });

  it('differs by failure type, file and message', () => {
    const base = { failureType: 'patch' as const, file: 'a.py', stderr: 'E   assert 3 == 4' };
    const print = failureFingerprint(base);
    expect(failureFingerprint({ ...base, failureType: 'bite' })).not.toBe(print);
    expect(failureFingerprint({ ...base, file: 'b.py' })).not.toBe(print);
    expect(failureFingerprint({ ...base, stderr: 'E   NameError: name add is not defined' })).not.toBe(print);
  });

  it('uses only the first 50 normalized characters', () => {
    const head = 'x'.repeat(50);
    expect(failureFingerprint({ failureType: 'patch', stderr: `${head}tail one` })).toBe(failureFingerprint({ failureType: 'patch', stderr: `${head}tail two` }));
    expect(failureFingerprint({ failureType: 'patch', stderr: 'x'.repeat(49) + 'a' })).not.toBe(failureFingerprint({ failureType: 'patch', stderr: 'x'.repeat(49) + 'b' }));
  });
});
