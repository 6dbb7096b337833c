import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createExpenseBacklog } from '../../fixtures/backlogs/createExpenseBacklog.js';
import { createFlaskNotesBacklog } from '../../fixtures/backlogs/createFlaskNotesBacklog.js';
import { createReadingsBacklog } from '../../fixtures/backlogs/createReadingsBacklog.js';
import { createTodoBacklog } from '../../fixtures/backlogs/createTodoBacklog.js';
import type { RealisticBacklog } from '../../fixtures/backlogs/RealisticBacklog.js';
import { bubblewrapWorks } from '../../utils/bubblewrapWorks.js';
import { git } from '../../utils/createGitRepo.js';
import { createTestEngine } from '../../utils/createTestEngine.js';
import { dockerSkipNote, findTestDocker } from '../../utils/findTestDocker.js';
import { makeTempDir } from '../../utils/makeTempDir.js';
import { snapshotUserRepo } from '../../utils/snapshotUserRepo.js';

/**
 * Issue 7's acceptance for good changes: on realistic backlogs answered perfectly, every task commits on its
 * first attempt, in Docker and in the native sandbox, and the user's repository is left byte-for-byte alone.
 */

const found = await findTestDocker();
const bubblewrap = bubblewrapWorks();
/** One backlog in one sandbox, on a loaded 2-core machine. */
const BACKLOG_TIMEOUT_MS = 600_000;

const backlogs: Array<[string, (options: { parent: string }) => RealisticBacklog]> = [
  ['Python/pytest expense tracker (5 tasks)', createExpenseBacklog],
  ['TypeScript/vitest todo list (4 tasks)', createTodoBacklog],
  ['JavaScript/node --test thermometer (3 tasks)', createReadingsBacklog],
  ['Flask notes API (3 tasks)', createFlaskNotesBacklog],
];

async function runPerfectBacklog(create: (options: { parent: string }) => RealisticBacklog, sandbox: 'docker' | 'native'): Promise<void> {
  const root = makeTempDir();
  const { repoDir, scriptPath, files } = create({ parent: root });
  const before = snapshotUserRepo(repoDir);
  const baseOid = git(repoDir, 'rev-parse', 'HEAD');
  const host = await createTestEngine({ dataDir: join(root, 'data'), scriptPath, sandbox });
  try {
    const outcome = await host.engine.runSession({ projectDir: repoDir });

    // Why a task did not commit first time: every failed attempt's type and the failing rails' details.
    const diagnostics = outcome.tasks.flatMap((task) =>
      (host.store.explain(task.id)?.attempts ?? [])
        .filter((attempt) => attempt.decision !== 'COMMIT')
        .map((attempt) => {
          const rails = attempt.rails.filter((rail) => !rail.passed && !rail.skipped).map((rail) => `${rail.name}: ${rail.detail.slice(0, 600)}`);
          const phases = attempt.phases.filter((phase) => !phase.ok).map((phase) => `${phase.phase}: ${phase.detail.slice(0, 600)}`);
          return `${task.spec.id} attempt ${attempt.number} ${attempt.decision} (${attempt.failureType}):\n  ${[...phases, ...rails].join('\n  ')}`;
        }),
    );
    expect(
      Object.fromEntries(outcome.tasks.map((task) => [task.spec.id, `${task.status} after ${task.attempts} attempt(s)`])),
      diagnostics.join('\n'),
    ).toEqual(Object.fromEntries(Object.keys(files).map((id) => [id, 'done after 1 attempt(s)'])));

    const branch = outcome.session.branch;
    const tree = git(repoDir, 'ls-tree', '-r', '--name-only', branch).split('\n');
    for (const task of outcome.tasks) {
      const expected = files[task.spec.id] ?? [];
      expect(task.commit, `${task.spec.id} has a commit`).toMatch(/^[0-9a-f]{40}$/);
      expect(git(repoDir, 'diff', '--name-only', `${task.commit}^`, task.commit!).split('\n').sort(), `${task.spec.id}'s commit`).toEqual([...expected].sort());
      expect(tree).toEqual(expect.arrayContaining(expected));
    }
    expect(git(repoDir, 'rev-list', '--count', `${baseOid}..${branch}`)).toBe(String(Object.keys(files).length));
    expect(snapshotUserRepo(repoDir)).toEqual(before);
  } finally {
    await host.dispose();
  }
}

describe('realistic backlogs answered perfectly commit every task on the first attempt', () => {
  describe.each(backlogs)('%s', (_name, create) => {
    it.skipIf(!found.docker)(dockerSkipNote(found, 'in the Docker sandbox'), () => runPerfectBacklog(create, 'docker'), BACKLOG_TIMEOUT_MS);
    it.skipIf(!bubblewrap)(
      bubblewrap ? 'in the native sandbox (bubblewrap)' : 'in the native sandbox [SKIPPED: bubblewrap cannot build a sandbox here]',
      () => runPerfectBacklog(create, 'native'),
      BACKLOG_TIMEOUT_MS,
    );
  });
});
