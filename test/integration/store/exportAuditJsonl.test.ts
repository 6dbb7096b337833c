import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { AuditRecord } from '../../../src/engine/ports/Store.js';
import { createSqliteStore } from '../../../src/engine/store/createSqliteStore.js';
import { exportAuditJsonl } from '../../../src/engine/store/exportAuditJsonl.js';
import { makeTempDir } from '../../utils/makeTempDir.js';
import { sampleModels, seedStore } from '../../utils/seedStore.js';

function audit(taskRunId: number, sessionId: string, taskId: string, startedAt: number): AuditRecord {
  return {
    taskRunId,
    sessionId,
    taskId,
    title: `Fix "${taskId}"\nwith a newline and ünïcode`,
    project: '/repos/calc',
    branch: `nightshift/${sessionId}`,
    models: sampleModels,
    sandbox: { kind: 'bwrap', isolated: true },
    status: 'deadlocked',
    decision: 'DEADLOCK',
    reason: 'same failure fingerprint 3 times',
    attempts: 3,
    railsFired: { suite: 3, lint: 1 },
    reviewVerdict: 'DEMOTED',
    askVerified: false,
    filesChanged: ['src/a.ts'],
    testsAdded: [],
    commit: null,
    startedAt,
    endedAt: startedAt + 1000,
  };
}

describe('exportAuditJsonl', () => {
  it('writes one parseable JSON object per line with a trailing newline, filtered by session', () => {
    const store = createSqliteStore({ path: join(makeTempDir(), 'nightshift.db') });
    onTestFinished(() => store.dispose());
    expect(exportAuditJsonl({ store })).toBe('');

    const a = seedStore({ store, sessionId: 's1', taskIds: ['T1', 'T2'] });
    const b = seedStore({ store, sessionId: 's2', taskIds: ['T1'] });
    const records = [
      audit(a.taskRuns[0]!.id, 's1', 'T1', 100),
      audit(a.taskRuns[1]!.id, 's1', 'T2', 200),
      audit(b.taskRuns[0]!.id, 's2', 'T1', 300),
    ];
    for (const record of records) store.writeAudit(record);

    const all = exportAuditJsonl({ store });
    expect(all.endsWith('\n')).toBe(true);
    const lines = all.slice(0, -1).split('\n');
    expect(lines).toHaveLength(3);
    expect(lines.map((line) => JSON.parse(line) as AuditRecord)).toEqual(records);

    const s1 = exportAuditJsonl({ store, sessionId: 's1' });
    expect(s1.split('\n')).toHaveLength(3);
    expect(s1.trimEnd().split('\n').map((line) => (JSON.parse(line) as AuditRecord).taskId)).toEqual(['T1', 'T2']);
    expect(exportAuditJsonl({ store, sessionId: 'missing' })).toBe('');
  });
});
