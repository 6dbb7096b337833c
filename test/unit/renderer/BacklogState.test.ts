import { describe, expect, it } from 'vitest';
import { BacklogState } from '../../../src/renderer/state/BacklogState.svelte.js';
import { apiOverHost } from '../../utils/apiOverHost.js';
import { createFakeHost, type FakeHost } from '../../utils/createFakeHost.js';

const PROJECT = '/home/dev/calculator';

const TASKS_MD = `# Tasks

## T1: Add a divide function

Add divide(a, b) to src/math.py.

Files: src/math.py

## T2: Handle division by zero

Depends on: T1

## T3: Document the CLI
`;

/** The renderer's api over the fake host, with the same wire round trip and error rebuilding as the real clients. */
async function openedWithTasks(): Promise<{ host: FakeHost; backlog: BacklogState }> {
  const host = createFakeHost();
  const backlog = new BacklogState({ api: apiOverHost({ host }) });
  await backlog.open(PROJECT);
  expect(await backlog.import({ format: 'tasks-md', text: TASKS_MD })).toBe(true);
  return { host, backlog };
}

describe('BacklogState', () => {
  it('is empty, not loading, after opening a project without a backlog', async () => {
    const host = createFakeHost();
    const backlog = new BacklogState({ api: apiOverHost({ host }) });
    expect(backlog.empty).toBe(false);
    await backlog.open(PROJECT);
    expect(backlog.tasks).toEqual([]);
    expect(backlog.loading).toBe(false);
    expect(backlog.empty).toBe(true);
    expect(host.requests).toEqual([{ name: 'backlog/list', request: { projectPath: PROJECT } }]);
  });

  it('imports a TASKS.md and lists its tasks in order with dependencies and files', async () => {
    const { backlog } = await openedWithTasks();
    expect(backlog.tasks.map((task) => task.id)).toEqual(['T1', 'T2', 'T3']);
    expect(backlog.tasks[0]?.targetFiles).toEqual(['src/math.py']);
    expect(backlog.tasks[1]?.dependsOn).toEqual(['T1']);
    expect(backlog.empty).toBe(false);
  });

  it('shows why an import was refused next to the import box and keeps the backlog', async () => {
    const { backlog } = await openedWithTasks();
    expect(await backlog.import({ format: 'tasks-md', text: '# Tasks\n\n## T1: One\n\nDepends on: T9\n' })).toBe(false);
    expect(backlog.importError?.code).toBe('BACKLOG_INVALID');
    expect(backlog.tasks.map((task) => task.id)).toEqual(['T1', 'T2', 'T3']);
  });

  it('adds a task from the form, splitting the lists, and empties the form', async () => {
    const { host, backlog } = await openedWithTasks();
    backlog.draft = { id: 'T4', title: ' Add a power function ', description: '', dependsOn: 'T1, T2,', targetFiles: 'src/math.py, tests/test_math.py', testCommand: '' };
    expect(await backlog.save()).toBe(true);
    expect(backlog.tasks.at(-1)).toEqual({ id: 'T4', title: 'Add a power function', description: '', dependsOn: ['T1', 'T2'], targetFiles: ['src/math.py', 'tests/test_math.py'] });
    expect(backlog.draft.id).toBe('');
    expect(host.requests.at(-1)?.request).not.toHaveProperty('previousId');
  });

  it('edits a task under a new id, sending the id it had as previousId', async () => {
    const { host, backlog } = await openedWithTasks();
    backlog.startEdit('T3');
    expect(backlog.draft).toMatchObject({ id: 'T3', title: 'Document the CLI', dependsOn: '' });
    backlog.draft.id = 'docs';
    backlog.draft.targetFiles = 'README.md';
    expect(await backlog.save()).toBe(true);
    expect(host.requests.at(-1)?.request).toMatchObject({ previousId: 'T3', task: { id: 'docs', targetFiles: ['README.md'] } });
    expect(backlog.tasks.map((task) => task.id)).toEqual(['T1', 'T2', 'docs']);
    expect(backlog.editingId).toBeNull();
  });

  it('puts a refused rename next to the id while others depend on the old one', async () => {
    const { backlog } = await openedWithTasks();
    backlog.startEdit('T1');
    backlog.draft.id = 'divide';
    expect(await backlog.save()).toBe(false);
    expect(backlog.fieldErrors.id).toMatch(/T2 still depends on T1/);
    expect(backlog.editingId).toBe('T1');
  });

  it('puts the host’s reason next to the title when it is empty, and keeps the draft', async () => {
    const { backlog } = await openedWithTasks();
    backlog.draft = { id: 'T4', title: '   ', description: '', dependsOn: '', targetFiles: '', testCommand: '' };
    expect(await backlog.save()).toBe(false);
    expect(backlog.fieldErrors.title).toMatch(/title/);
    expect(backlog.fieldErrors.dependsOn).toBeUndefined();
    expect(backlog.error).toBeNull();
    expect(backlog.draft.id).toBe('T4');
    expect(backlog.tasks).toHaveLength(3);
  });

  it('puts a dependency cycle next to the dependencies, and clears it once a save succeeds', async () => {
    const { backlog } = await openedWithTasks();
    backlog.startEdit('T1');
    backlog.draft.dependsOn = 'T2';
    expect(await backlog.save()).toBe(false);
    expect(backlog.fieldErrors.dependsOn).toMatch(/T1/);
    expect(backlog.fieldErrors.dependsOn).toMatch(/T2/);
    backlog.draft.dependsOn = '';
    expect(await backlog.save()).toBe(true);
    expect(backlog.fieldErrors).toEqual({});
  });

  it('moves a task up and down, and does nothing past either end', async () => {
    const { host, backlog } = await openedWithTasks();
    expect(await backlog.move('T3', -1)).toBe(true);
    expect(backlog.tasks.map((task) => task.id)).toEqual(['T1', 'T3', 'T2']);
    expect(await backlog.move('T1', 1)).toBe(true);
    expect(backlog.tasks.map((task) => task.id)).toEqual(['T3', 'T1', 'T2']);
    const sent = host.requests.length;
    expect(await backlog.move('T3', -1)).toBe(false);
    expect(await backlog.move('T2', 1)).toBe(false);
    expect(host.requests).toHaveLength(sent);
  });

  it('deletes a task; a task others depend on is refused in the general error, not the form', async () => {
    const { backlog } = await openedWithTasks();
    expect(await backlog.remove('T1')).toBe(false);
    expect(backlog.error?.code).toBe('BACKLOG_TASK_INVALID');
    expect(backlog.error?.message).toMatch(/T2/);
    expect(backlog.fieldErrors).toEqual({});
    expect(await backlog.remove('T3')).toBe(true);
    expect(backlog.tasks.map((task) => task.id)).toEqual(['T1', 'T2']);
    expect(backlog.error).toBeNull();
  });

  it('exports the backlog as TASKS.md text', async () => {
    const { backlog } = await openedWithTasks();
    const text = await backlog.export();
    expect(text).toBe(backlog.exported);
    expect(text).toContain('## T1: Add a divide function');
    expect(text).toContain('Depends on: T1');
  });

  it('reports a project the host has not opened as an error', async () => {
    const backlog = new BacklogState({ api: apiOverHost({ host: createFakeHost() }) });
    await backlog.open('/home/dev/elsewhere');
    expect(backlog.error?.code).toBe('PROJECT_NOT_OPEN');
    expect(backlog.loading).toBe(false);
  });

  it('is busy while a change is in flight and ignores a second one', async () => {
    const host = createFakeHost();
    let release: () => void = () => {};
    let holding = false;
    const backlog = new BacklogState({
      api: apiOverHost({ host, hold: () => (holding ? new Promise<void>((resolve) => (release = resolve)) : Promise.resolve()) }),
    });
    await backlog.open(PROJECT);
    holding = true;
    const first = backlog.import({ format: 'tasks-md', text: TASKS_MD });
    expect(backlog.busy).toBe(true);
    expect(await backlog.import({ format: 'tasks-md', text: TASKS_MD })).toBe(false);
    release();
    expect(await first).toBe(true);
    expect(backlog.busy).toBe(false);
  });

  it('drops an answer for a project that is no longer shown', async () => {
    const host = createFakeHost();
    let release: () => void = () => {};
    let holding = false;
    const backlog = new BacklogState({
      api: apiOverHost({ host, hold: () => (holding ? new Promise<void>((resolve) => (release = resolve)) : Promise.resolve()) }),
    });
    await backlog.open(PROJECT);
    holding = true;
    const late = backlog.import({ format: 'tasks-md', text: TASKS_MD });
    holding = false;
    await backlog.open('/home/dev/webshop');
    release();
    expect(await late).toBe(false);
    expect(backlog.projectPath).toBe('/home/dev/webshop');
    expect(backlog.tasks).toEqual([]);
  });
});
