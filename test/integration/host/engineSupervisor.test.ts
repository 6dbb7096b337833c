import { join, resolve } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createSqliteStore } from '../../../src/engine/store/createSqliteStore.js';
import { createEngineSupervisor } from '../../../src/host/createEngineSupervisor.js';
import { createMainHost, type MainHost } from '../../../src/host/createMainHost.js';
import { forkEngineProcess } from '../../../src/host/forkEngineProcess.js';
import type { SessionSupervisor } from '../../../src/host/SessionSupervisor.js';
import type { EngineProcess } from '../../../src/host/SpawnEngineProcess.js';
import type { EngineEvent } from '../../../src/shared/engineEventSchema.js';
import type { ProjectSettings } from '../../../src/shared/projectSettingsSchema.js';
import type { SessionControlState } from '../../../src/shared/sessionControlStateSchema.js';
import { createPythonFixture } from '../../fixtures/createPythonFixture.js';
import { localRunSettings } from '../../utils/localRunSettings.js';
import { makeTempDir } from '../../utils/makeTempDir.js';
import { recordEngineEvents } from '../../utils/recordEngineEvents.js';
import { twoTaskBacklog } from '../../utils/twoTaskBacklog.js';

/** The compiled entry (vitest's globalSetup builds out/cli), as `nightshift serve` runs it. */
const ENGINE_ENTRY = resolve('out/cli/engineProcessMain.js');

interface Harness {
  host: MainHost;
  supervisor: SessionSupervisor;
  repoDir: string;
  dataDir: string;
  settings: ProjectSettings;
  events: EngineEvent[];
  spawned: EngineProcess[];
  timers: Array<{ callback: () => void; delayMs: number; cleared: boolean }>;
  /** Resolves with the first event (already seen or still to come) that `accept` takes. */
  waitFor: ReturnType<typeof recordEngineEvents>['waitFor'];
  /** Resolves once the supervisor's state for the project is `state`. */
  waitForState(state: SessionControlState['state']): Promise<SessionControlState>;
}

async function setUp(options: {
  backlog?: string;
  clock?: { now: () => number };
  fakeTimers?: boolean;
  restart?: { maxRestarts: number; windowMs: number };
  onSpawn?: (child: EngineProcess) => void;
} = {}): Promise<Harness> {
  const root = makeTempDir();
  const { repoDir, scriptPath } = createPythonFixture({ parent: root });
  const dataDir = join(root, 'data');
  const fork = forkEngineProcess({ entryPath: ENGINE_ENTRY });
  const spawned: EngineProcess[] = [];
  const timers: Harness['timers'] = [];
  let supervisor: SessionSupervisor | null = null;
  const host = createMainHost({
    dataDir,
    ...(options.clock ? { clock: options.clock } : {}),
    createSupervisor: (context) =>
      (supervisor = createEngineSupervisor({
        context,
        spawnEngine: () => {
          const child = fork();
          spawned.push(child);
          options.onSpawn?.(child);
          return child;
        },
        ...(options.restart ? { restart: options.restart } : {}),
        ...(options.fakeTimers
          ? {
              setTimer: (callback: () => void, delayMs: number) => {
                const timer = { callback, delayMs, cleared: false };
                timers.push(timer);
                return timer;
              },
              clearTimer: (handle: unknown) => {
                (handle as { cleared: boolean }).cleared = true;
              },
            }
          : {}),
      })),
  });
  onTestFinished(() => host.dispose());
  const { events, waitFor } = recordEngineEvents({ subscribe: (listener) => host.onEvent(listener) });
  expect(await host.handle('project/open', { path: repoDir })).toMatchObject({ ok: true });
  expect(await host.handle('backlog/import', { projectPath: repoDir, format: 'tasks-md', text: options.backlog ?? twoTaskBacklog })).toMatchObject({ ok: true });
  const settings = localRunSettings({ models: `scripted:${scriptPath}` });
  return {
    host,
    supervisor: supervisor!,
    repoDir,
    dataDir,
    settings,
    events,
    spawned,
    timers,
    waitFor,
    waitForState: async (state) => {
      // Checked on each event against the supervisor itself, so a state passed through earlier does not count.
      await waitFor(() => supervisor!.states({})[0]?.state === state);
      return supervisor!.states({})[0]!;
    },
  };
}

const isState = (state: SessionControlState['state']) => (event: EngineEvent) => event.type === 'control/state' && event.state.state === state;
const isTaskStarted = (taskId: string) => (event: EngineEvent) => event.type === 'task/started' && event.taskId === taskId;

function sessionsOf(dataDir: string) {
  const store = createSqliteStore({ path: join(dataDir, 'nightshift.db') });
  try {
    return store.listSessions().map((session) => ({ session, tasks: Object.fromEntries(store.listTaskRuns(session.id).map((task) => [task.spec.id, task.status])) }));
  } finally {
    store.dispose();
  }
}

describe('the engine supervisor with a real engine process', () => {
  it('runs the backlog in a child process, publishing its events and the control state, and ends idle', async () => {
    const h = await setUp();
    const started = await h.host.handle('session/start', { projectPath: h.repoDir, settings: { ...h.settings, maxAttempts: 2 } });
    expect(started).toMatchObject({ ok: true, value: { state: 'starting', until: null, startsAt: null } });
    expect(h.supervisor.busy()).toBe(true);

    const finished = await h.waitFor((event) => event.type === 'session/finished');
    const idle = await h.waitFor((event) => isState('idle')(event) && h.events.indexOf(event) > h.events.indexOf(finished));
    const sessionId = (finished as Extract<EngineEvent, { type: 'session/finished' }>).sessionId;
    expect(idle).toMatchObject({ state: { state: 'idle', sessionId, task: null, error: null, engineRestarts: 0 } });
    // maxAttempts 2 overrides nightshift.json's 6: T2's third, good attempt never comes.
    expect(finished).toMatchObject({ status: 'completed', counts: { done: 1, escalated: 1 } });
    expect(h.supervisor.busy()).toBe(false);

    const states = h.events.flatMap((event) => (event.type === 'control/state' ? [event.state] : []));
    expect(states.map((state) => state.state).filter((state, index, all) => state !== all[index - 1])).toEqual(['starting', 'running', 'idle']);
    expect(states.map((state) => state.task && `${state.task.taskId} ${state.task.index}/${state.task.total}`).filter(Boolean)).toEqual(['T1 1/2', 'T2 2/2']);
    const phases = h.events.flatMap((event) => (event.type === 'phase/finished' ? [event.phase] : []));
    expect(phases).toEqual(expect.arrayContaining(['plan', 'red', 'green', 'gates', 'review', 'deliver']));

    // Each attempt's diff is published and kept: task/explain returns it.
    const diff = await h.waitFor((event) => event.type === 'attempt/diff');
    expect(diff).toMatchObject({ attempt: 1, diff: expect.stringContaining('+def divide(a, b):') });
    const session = await h.host.handle('session/get', { id: sessionId });
    if (!session.ok) throw new Error(session.error.message);
    const t1 = session.value.tasks.find((task) => task.taskId === 'T1')!;
    const explained = await h.host.handle('task/explain', { taskRunId: t1.id });
    if (!explained.ok) throw new Error(explained.error.message);
    expect(explained.value.attempts[0]?.diff).toContain('+++ b/calc/divide.py');
    const t2 = session.value.tasks.find((task) => task.taskId === 'T2')!;
    expect(t2).toMatchObject({ status: 'escalated', attempts: 2 });
    expect(h.spawned).toHaveLength(1);
  }, 300_000);

  it('pauses after the current step and resumes the same session to the end', async () => {
    const h = await setUp();
    await h.host.handle('session/start', { projectPath: h.repoDir, settings: h.settings });
    await h.waitFor(isTaskStarted('T1'));
    const pausing = await h.host.handle('session/pause', { projectPath: h.repoDir });
    expect(pausing).toMatchObject({ ok: true, value: { state: 'pausing' } });
    const paused = await h.waitForState('paused');
    const sessionId = paused.sessionId!;
    expect(sessionId).toMatch(/./);
    expect(h.supervisor.busy()).toBe(false);
    expect(sessionsOf(h.dataDir)).toEqual([{ session: expect.objectContaining({ id: sessionId, status: 'stopped' }), tasks: { T1: 'queued', T2: 'queued' } }]);
    expect(h.events.find((event) => event.type === 'session/finished')).toMatchObject({ status: 'stopped' });

    expect(await h.host.handle('session/resume', { projectPath: h.repoDir })).toMatchObject({ ok: true, value: { state: 'starting' } });
    const resumed = await h.waitFor((event) => event.type === 'session/started' && event.resumed);
    expect(resumed).toMatchObject({ sessionId });
    await h.waitFor((event) => event.type === 'session/finished' && event.status === 'completed');
    await h.waitForState('idle');
    expect(sessionsOf(h.dataDir)).toEqual([{ session: expect.objectContaining({ id: sessionId, status: 'completed' }), tasks: { T1: 'done', T2: 'done' } }]);
    expect(h.spawned).toHaveLength(2);
  }, 300_000);

  it('pauses a session stopped during its preflight, leaving it resumable rather than blocked', async () => {
    const h = await setUp();
    await h.host.handle('session/start', { projectPath: h.repoDir, settings: h.settings });
    await h.waitFor((event) => event.type === 'session/started');
    await h.host.handle('session/pause', { projectPath: h.repoDir });
    const paused = await h.waitForState('paused');
    expect(paused).toMatchObject({ error: null });
    expect(h.events.find((event) => event.type === 'session/finished')).toMatchObject({ status: 'stopped' });
    expect(sessionsOf(h.dataDir)).toEqual([{ session: expect.objectContaining({ id: paused.sessionId, status: 'stopped' }), tasks: { T1: 'queued', T2: 'queued' } }]);
  }, 300_000);

  it('restarts an engine process killed mid-task, and the same session completes', async () => {
    const h = await setUp();
    await h.host.handle('session/start', { projectPath: h.repoDir, settings: h.settings });
    const started = await h.waitFor((event): event is Extract<EngineEvent, { type: 'session/started' }> => event.type === 'session/started');
    await h.waitFor((event) => event.type === 'phase/started' && event.phase === 'green');
    h.spawned[0]!.kill('SIGKILL');

    const crashed = await h.waitFor((event) => event.type === 'process/crashed');
    expect(crashed).toMatchObject({ process: 'engine', projectPath: h.repoDir, sessionId: started.sessionId, signal: 'SIGKILL', restarting: true });
    expect(await h.waitFor((event) => event.type === 'process/restarted')).toMatchObject({ process: 'engine', sessionId: started.sessionId });
    expect(await h.waitFor(isState('restarting'))).toMatchObject({ state: { engineRestarts: 1, sessionId: started.sessionId } });
    const again = await h.waitFor((event) => event.type === 'session/started' && event.resumed);
    expect(again).toMatchObject({ sessionId: started.sessionId });
    await h.waitFor((event) => event.type === 'session/finished' && event.status === 'completed');
    expect(await h.waitForState('idle')).toMatchObject({ sessionId: started.sessionId, engineRestarts: 1, error: null });
    expect(sessionsOf(h.dataDir)).toEqual([{ session: expect.objectContaining({ id: started.sessionId, status: 'completed' }), tasks: { T1: 'done', T2: 'done' } }]);
    expect(h.spawned).toHaveLength(2);
  }, 300_000);

  it('gives up with an error after the engine process crashes too often', async () => {
    const h = await setUp({ restart: { maxRestarts: 2, windowMs: 600_000 }, onSpawn: (child) => setImmediate(() => child.kill('SIGKILL')) });
    await h.host.handle('session/start', { projectPath: h.repoDir, settings: h.settings });
    const idle = await h.waitForState('idle');
    expect(idle).toMatchObject({ engineRestarts: 2, error: { code: 'ENGINE_PROCESS_CRASHED', context: { crashes: 3, gaveUp: true } } });
    expect(h.events.filter((event) => event.type === 'process/crashed').map((event) => event.type === 'process/crashed' && event.restarting)).toEqual([true, true, false]);
    expect(h.events.filter((event) => event.type === 'process/restarted')).toHaveLength(2);
    expect(h.spawned).toHaveLength(3);
    expect(h.supervisor.busy()).toBe(false);
  }, 120_000);

  it('starts a 23:00 to 07:00 session at 23:00 and stops it cleanly at 07:00', async () => {
    const evening = new Date();
    evening.setHours(20, 0, 0, 0);
    let now = evening.getTime();
    const h = await setUp({ clock: { now: () => now }, fakeTimers: true });
    const scheduled = await h.host.handle('session/start', { projectPath: h.repoDir, startAt: '23:00', until: '07:00', settings: h.settings });
    const at23 = evening.getTime() + 3 * 3_600_000;
    const at07 = evening.getTime() + 11 * 3_600_000;
    expect(scheduled).toMatchObject({ ok: true, value: { state: 'scheduled', startsAt: at23, until: at07 } });
    expect(h.supervisor.busy()).toBe(true);
    expect(h.spawned).toHaveLength(0);
    const startTimer = h.timers.find((timer) => timer.delayMs === 3 * 3_600_000)!;
    const untilTimer = h.timers.find((timer) => timer.delayMs === 11 * 3_600_000)!;
    expect(startTimer).toBeDefined();
    expect(untilTimer).toBeDefined();

    now = at23;
    startTimer.callback();
    expect(h.spawned).toHaveLength(1);
    await h.waitFor(isTaskStarted('T1'));
    now = at07;
    untilTimer.callback();
    expect(h.supervisor.states({})[0]).toMatchObject({ state: 'stopping' });
    const idle = await h.waitForState('idle');
    expect(idle).toMatchObject({ until: at07, error: null });
    expect(h.events.find((event) => event.type === 'session/finished')).toMatchObject({ status: 'stopped' });
    expect(sessionsOf(h.dataDir)[0]).toMatchObject({ session: { status: 'stopped' }, tasks: { T1: 'queued', T2: 'queued' } });
    expect(h.events.some(isTaskStarted('T2'))).toBe(false);
  }, 300_000);

  it('refuses a second start, an empty backlog, bad settings and controls with nothing to act on; stop ends a running session', async () => {
    const h = await setUp();
    expect(await h.host.handle('session/pause', { projectPath: h.repoDir })).toMatchObject({ ok: false, error: { code: 'SESSION_NOT_RUNNING' } });
    expect(await h.host.handle('session/resume', { projectPath: h.repoDir })).toMatchObject({ ok: false, error: { code: 'SESSION_NOTHING_TO_RESUME' } });
    await expect(h.supervisor.start({ projectPath: h.repoDir, settings: { ...h.settings, mode: 'direct', targetBranch: null } })).rejects.toMatchObject({
      code: 'SESSION_SETTINGS_INVALID',
      context: { field: 'targetBranch' },
      hint: expect.stringContaining('targetBranch'),
    });

    expect(await h.host.handle('session/start', { projectPath: h.repoDir, settings: h.settings })).toMatchObject({ ok: true });
    expect(await h.host.handle('session/start', { projectPath: h.repoDir, settings: h.settings })).toMatchObject({
      ok: false,
      error: { code: 'SESSION_ALREADY_RUNNING', hint: expect.stringMatching(/stop it first/) },
    });
    await h.waitFor(isTaskStarted('T1'));
    expect(await h.host.handle('session/stop', { projectPath: h.repoDir })).toMatchObject({ ok: true, value: { state: 'stopping' } });
    const idle = await h.waitForState('idle');
    expect(sessionsOf(h.dataDir)[0]).toMatchObject({ session: { id: idle.sessionId, status: 'stopped' } });

    for (const taskId of ['T2', 'T1']) expect(await h.host.handle('backlog/delete', { projectPath: h.repoDir, taskId })).toMatchObject({ ok: true });
    expect(await h.host.handle('session/start', { projectPath: h.repoDir, settings: h.settings, resume: false })).toMatchObject({
      ok: false,
      error: { code: 'SESSION_BACKLOG_EMPTY', hint: expect.stringContaining('import') },
    });
  }, 300_000);
});
