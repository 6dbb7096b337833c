import type { BaselineSummary } from '../../src/shared/protocol.js';

/** A passing baseline of a small Python project, as `project/baseline` answers it. */
export const sampleBaseline: BaselineSummary = {
  commit: '3f1c2a9d8e7b6c5a4f3e2d1c0b9a8f7e6d5c4b3a',
  ok: true,
  passed: 12,
  failed: 0,
  errored: 0,
  skipped: 1,
  failing: [],
  command: 'python -m pytest -q',
  output: '............s\n12 passed, 1 skipped in 0.41s\n',
  sandbox: 'docker (nightshift/python:3.11)',
  ranAt: Date.UTC(2026, 10, 29, 22, 5),
  durationMs: 4100,
  hint: null,
};
