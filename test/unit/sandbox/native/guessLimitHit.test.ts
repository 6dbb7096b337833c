import { describe, expect, it } from 'vitest';
import { guessLimitHit } from '../../../../src/sandbox/native/guessLimitHit.js';

describe('guessLimitHit', () => {
  it.each([
    ['/bin/sh: 0: Cannot fork', 'pids'],
    ['bash: fork: retry: Resource temporarily unavailable', 'pids'],
    ['BlockingIOError: [Errno 11] Resource temporarily unavailable', 'pids'],
    ['Error: spawn EAGAIN', 'pids'],
    ['MemoryError', 'memory'],
    ['FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory', 'memory'],
    ["terminate called after throwing an instance of 'std::bad_alloc'", 'memory'],
    ['mmap: Cannot allocate memory', 'memory'],
  ] as const)('reads %j as %s', (stderr, limit) => {
    expect(guessLimitHit({ stdout: '', stderr, failed: true })).toBe(limit);
  });

  it('finds nothing in an ordinary failure', () => {
    expect(guessLimitHit({ stdout: '1 failed, 2 passed', stderr: 'AssertionError: assert 3 == 4', failed: true })).toBeNull();
  });

  it('counts a refused fork in a run that still exited 0, but not a memory message from a passing run', () => {
    expect(guessLimitHit({ stdout: '', stderr: '/bin/sh: 0: Cannot fork\n', failed: false })).toBe('pids');
    expect(guessLimitHit({ stdout: 'test_reports_out_of_memory PASSED', stderr: 'MemoryError', failed: false })).toBeNull();
  });
});
