import type { SeededSession } from './seedMetricsHistory.js';

/** One day, in milliseconds. */
export const DAY = 86_400_000;
/** When the first known night started. */
export const NIGHT_1 = Date.UTC(2026, 5, 1, 22);

/** Three nights with known outcomes over two projects; the expected numbers below are counted by hand. */
export const knownNights: SeededSession[] = [
  {
    id: 'night1',
    projectPath: '/repos/calc',
    startedAt: NIGHT_1,
    tasks: [
      { taskId: 'T1', title: 'Add a divide function', status: 'done', attempts: [{ decision: 'COMMIT' }] },
      {
        taskId: 'T2',
        title: 'Handle division by zero',
        status: 'done',
        attempts: [{ decision: 'RETRY', failure: { type: 'patch', fingerprint: 'fp-a' }, refusedBy: ['suite'] }, { decision: 'COMMIT' }],
      },
      {
        taskId: 'T3',
        title: 'Parse roman numerals',
        status: 'deadlocked',
        attempts: [
          { decision: 'RETRY', failure: { type: 'patch', fingerprint: 'fp-a' }, refusedBy: ['suite'] },
          { decision: 'RETRY', failure: { type: 'patch', fingerprint: 'fp-a' }, refusedBy: ['suite'] },
          { decision: 'DEADLOCK', failure: { type: 'patch', fingerprint: 'fp-a' }, refusedBy: ['suite'] },
        ],
      },
      { taskId: 'T4', title: 'Document the CLI', status: 'skipped', attempts: [] },
    ],
  },
  {
    id: 'night2',
    projectPath: '/repos/calc',
    startedAt: NIGHT_1 + DAY,
    tasks: [
      { taskId: 'T1', title: 'Add a divide function', status: 'done', attempts: [{ decision: 'COMMIT' }] },
      {
        taskId: 'T5',
        title: 'Speed up the parser',
        status: 'escalated',
        attempts: [
          { decision: 'RETRY', failure: { type: 'scope', fingerprint: 'fp-b' }, refusedBy: ['scope'] },
          { decision: 'ESCALATE', failure: { type: 'review', fingerprint: 'fp-c' } },
        ],
      },
    ],
  },
  {
    id: 'night3',
    projectPath: '/repos/shop',
    startedAt: NIGHT_1 + 2 * DAY,
    tasks: [
      { taskId: 'S1', title: 'Cart totals', status: 'failed', attempts: [{ decision: 'RETRY', failure: { type: 'timeout', fingerprint: 'fp-d' }, refusedBy: ['suite'] }] },
      { taskId: 'S2', title: 'Checkout 100% discount_code', status: 'done', attempts: [{ decision: 'COMMIT' }] },
    ],
  },
];
