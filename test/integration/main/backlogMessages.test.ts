import { mkdirSync, realpathSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { importPrd } from '../../../src/engine/backlog/importPrd.js';
import { parseBacklog } from '../../../src/engine/backlog/parseBacklog.js';
import { createSqliteStore } from '../../../src/engine/store/createSqliteStore.js';
import { openDataDir } from '../../../src/engine/store/openDataDir.js';
import { createMainHost, type MainHost } from '../../../src/host/createMainHost.js';
import type { NightshiftErrorData } from '../../../src/shared/NightshiftErrorData.js';
import type { ProtocolResult } from '../../../src/shared/protocol.js';
import type { TaskSpec } from '../../../src/shared/taskSpecSchema.js';
import { createGitRepo } from '../../utils/createGitRepo.js';
import { makeTempDir } from '../../utils/makeTempDir.js';

const NOW = 1_763_676_000_000;

const TASKS_MD = `# Tasks

## T1: Add divide

Add a divide function to calc.py.

Files: calc.py, tests/test_calc.py

## T2: Divide by zero raises

Depends on: T1
Test: pytest -q tests/test_calc.py

## T3: Document divide
`;

const PRD = `# Calculator PRD

## Requirements

- The calculator divides two numbers.
- Dividing by zero raises a clear error.
`;

const task = (id: string, overrides: Partial<TaskSpec> = {}): TaskSpec => ({
  id,
  title: `Task ${id}`,
  description: '',
  dependsOn: [],
  targetFiles: [],
  ...overrides,
});

/** A host over a fresh data directory in which one git repository has been opened. */
async function openProject(): Promise<{ host: MainHost; dataDir: string; repo: string; root: string }> {
  const root = makeTempDir();
  const dataDir = join(root, 'data');
  const repo = realpathSync(createGitRepo({ dir: join(root, 'calc'), commits: [{ files: { 'README.md': '# calc\n' } }] }));
  const host = createMainHost({ dataDir, clock: { now: () => NOW } });
  onTestFinished(() => host.dispose());
  ok(await host.handle('project/open', { path: repo }));
  return { host, dataDir, repo, root };
}

function ok<T>(result: ProtocolResult<T>): T {
  if (!result.ok) throw new Error(`expected success, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

function failed(result: ProtocolResult<unknown>): NightshiftErrorData {
  if (result.ok) throw new Error(`expected a failure, got ${JSON.stringify(result.value)}`);
  return result.error;
}

const ids = (tasks: TaskSpec[]) => tasks.map((each) => each.id);

describe('backlog messages of createMainHost', () => {
  it('imports TASKS.md, reorders, and exports TASKS.md that parses back to the same tasks in the new order', async () => {
    const { host, repo, dataDir } = await openProject();
    expect(ok(await host.handle('backlog/list', { projectPath: repo }))).toEqual([]);

    const imported = ok(await host.handle('backlog/import', { projectPath: repo, format: 'tasks-md', text: TASKS_MD }));
    expect(imported).toEqual(parseBacklog({ text: TASKS_MD }));
    expect(imported[1]).toEqual({
      id: 'T2',
      title: 'Divide by zero raises',
      description: '',
      dependsOn: ['T1'],
      targetFiles: [],
      testCommand: 'pytest -q tests/test_calc.py',
    });

    const reordered = ok(await host.handle('backlog/reorder', { projectPath: repo, taskIds: ['T3', 'T1', 'T2'] }));
    expect(ids(reordered)).toEqual(['T3', 'T1', 'T2']);
    const { text } = ok(await host.handle('backlog/export', { projectPath: repo }));
    expect(parseBacklog({ text })).toEqual(reordered);
    expect(text.indexOf('## T3:')).toBeLessThan(text.indexOf('## T1:'));

    // Kept in the database: a new host over the same data directory lists the same backlog.
    host.dispose();
    const again = createMainHost({ dataDir, clock: { now: () => NOW } });
    onTestFinished(() => again.dispose());
    expect(ok(await again.handle('backlog/list', { projectPath: repo }))).toEqual(reordered);
  });

  it('adds, edits, renames and deletes tasks, replacing the backlog on a PRD import', async () => {
    const { host, repo } = await openProject();
    ok(await host.handle('backlog/save', { projectPath: repo, task: task('T1', { targetFiles: ['calc.py'] }) }));
    ok(await host.handle('backlog/save', { projectPath: repo, task: task('T2', { dependsOn: ['T1'] }) }));
    const edited = ok(await host.handle('backlog/save', { projectPath: repo, task: task('T1', { title: 'Add divide' }), previousId: 'T1' }));
    expect(edited).toEqual([task('T1', { title: 'Add divide' }), task('T2', { dependsOn: ['T1'] })]);
    const renamed = ok(await host.handle('backlog/save', { projectPath: repo, task: task('T2b', { dependsOn: ['T1'] }), previousId: 'T2' }));
    expect(ids(renamed)).toEqual(['T1', 'T2b']);
    expect(ids(ok(await host.handle('backlog/delete', { projectPath: repo, taskId: 'T2b' })))).toEqual(['T1']);
    expect(failed(await host.handle('backlog/delete', { projectPath: repo, taskId: 'T2b' }))).toMatchObject({ code: 'NOT_FOUND' });

    const prd = ok(await host.handle('backlog/import', { projectPath: repo, format: 'prd', text: PRD }));
    expect(prd).toEqual(importPrd({ text: PRD }));
    expect(prd.map((each) => each.title)).toEqual(['The calculator divides two numbers', 'Dividing by zero raises a clear error']);
    expect(ok(await host.handle('backlog/list', { projectPath: repo }))).toEqual(prd);
  });

  it('refuses invalid edits with the code and the field at fault, leaving the backlog as it was', async () => {
    const { host, repo } = await openProject();
    ok(await host.handle('backlog/import', { projectPath: repo, format: 'tasks-md', text: TASKS_MD }));
    const before = ok(await host.handle('backlog/list', { projectPath: repo }));

    const refusals = [
      { request: { task: task('T4', { title: '' }) }, field: 'title', reason: 'the title is empty' },
      { request: { task: task('T1') }, field: 'id', reason: 'another task already has the id T1' },
      { request: { task: task('T4', { dependsOn: ['T9'] }) }, field: 'dependsOn', reason: 'T9 is not a task of this backlog' },
      { request: { task: task('T1', { dependsOn: ['T2'] }), previousId: 'T1' }, field: 'dependsOn', reason: 'the dependencies form a cycle: T1 → T2 → T1' },
    ];
    for (const { request, field, reason } of refusals) {
      const error = failed(await host.handle('backlog/save', { projectPath: repo, ...request }));
      expect(error).toMatchObject({ name: 'BacklogTaskInvalidError', code: 'BACKLOG_TASK_INVALID', context: { field, reason } });
    }
    expect(failed(await host.handle('backlog/delete', { projectPath: repo, taskId: 'T1' }))).toMatchObject({
      code: 'BACKLOG_TASK_INVALID',
      context: { field: 'id', reason: 'T2 still depends on it' },
    });
    expect(failed(await host.handle('backlog/reorder', { projectPath: repo, taskIds: ['T1', 'T2'] }))).toMatchObject({
      code: 'BACKLOG_ORDER_INVALID',
      context: { missing: ['T3'], unknown: [], repeated: [] },
    });
    expect(failed(await host.handle('backlog/import', { projectPath: repo, format: 'tasks-md', text: '## T1: A\n\nDepends on: T1\n' }))).toMatchObject({
      code: 'BACKLOG_INVALID',
    });
    expect(failed(await host.handle('backlog/save', { projectPath: repo, task: { id: 'T5' } }))).toMatchObject({ code: 'INVALID_REQUEST' });
    expect(ok(await host.handle('backlog/list', { projectPath: repo }))).toEqual(before);
  });

  it('refuses every backlog message for a path outside any opened project, and follows symlinks to an opened one', async () => {
    const { host, repo, root, dataDir } = await openProject();
    const stranger = createGitRepo({ dir: join(root, 'stranger'), commits: [{ files: { 'README.md': '# x\n' } }] });
    const inside = join(repo, 'src');
    mkdirSync(inside);
    const messages = [
      ['backlog/list', {}],
      ['backlog/save', { task: task('T1') }],
      ['backlog/delete', { taskId: 'T1' }],
      ['backlog/reorder', { taskIds: [] }],
      ['backlog/import', { format: 'tasks-md', text: TASKS_MD }],
      ['backlog/export', {}],
    ] as const;
    for (const projectPath of [stranger, inside, join(root, 'missing'), '/']) {
      for (const [name, request] of messages) {
        expect(failed(await host.handle(name, { projectPath, ...request }))).toMatchObject({ code: 'PROJECT_NOT_OPEN', context: { path: projectPath } });
      }
    }
    const link = join(root, 'calc-link');
    symlinkSync(repo, link);
    ok(await host.handle('backlog/save', { projectPath: link, task: task('T1') }));
    expect(ids(ok(await host.handle('backlog/list', { projectPath: repo })))).toEqual(['T1']);

    const store = createSqliteStore({ path: openDataDir({ dir: dataDir }).dbPath });
    onTestFinished(() => store.dispose());
    expect(store.listBacklog(store.getProjectByPath(repo)!.id).map((record) => record.updatedAt)).toEqual([NOW]);
  });
});
