import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createEngineSupervisor } from '../../../src/host/createEngineSupervisor.js';
import { createMainHost } from '../../../src/host/createMainHost.js';
import { forkEngineProcess } from '../../../src/host/forkEngineProcess.js';
import type { EngineProcess } from '../../../src/host/SpawnEngineProcess.js';
import type { EngineEvent } from '../../../src/shared/engineEventSchema.js';
import type { ProjectSettings } from '../../../src/shared/projectSettingsSchema.js';
import { createPythonFixture } from '../../fixtures/createPythonFixture.js';
import { createTinyGguf } from '../../fixtures/createTinyGguf.js';
import { makeTempDir } from '../../utils/makeTempDir.js';

/** The compiled entry (vitest's globalSetup builds out/cli), as `nightshift serve` runs it. */
const ENGINE_ENTRY = resolve('out/cli/engineProcessMain.js');

const BACKLOG = `# Calculator backlog

## T1: Add a divide function
Create \`divide(a, b)\` in calc/divide.py that returns a / b and raises ValueError when b is 0.
Files: calc/divide.py, tests/test_divide.py

## T2: Add a clamp function
Create clamp(value, low, high) in calc/clamp.py returning value limited to the range [low, high].
Files: calc/clamp.py, tests/test_clamp.py
`;

/** A host with the supervisor over real engine processes, on a Python project with BACKLOG imported. */
async function setUp(options: { nativeBinding?: string; models: (fixture: { root: string; scriptPath: string }) => string }) {
  const root = makeTempDir();
  const { repoDir, scriptPath } = createPythonFixture({ parent: root });
  const fork = forkEngineProcess({ entryPath: ENGINE_ENTRY, env: { ...process.env, NIGHTSHIFT_LLAMA_THREADS: '1' } });
  const spawned: EngineProcess[] = [];
  const host = createMainHost({
    dataDir: join(root, 'data'),
    createSupervisor: (context) =>
      createEngineSupervisor({
        context,
        spawnEngine: () => {
          const child = fork();
          spawned.push(child);
          return child;
        },
        ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
      }),
  });
  onTestFinished(() => host.dispose());
  const events: EngineEvent[] = [];
  const waiters = new Set<() => void>();
  host.onEvent((event) => {
    events.push(event);
    for (const waiter of [...waiters]) waiter();
  });
  const waitFor = (accept: (event: EngineEvent) => boolean, timeoutMs = 180_000): Promise<EngineEvent> =>
    new Promise((resolvePromise, reject) => {
      const check = () => {
        const found = events.find(accept);
        if (!found) return;
        waiters.delete(check);
        clearTimeout(timer);
        resolvePromise(found);
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`no matching event in ${timeoutMs} ms; seen: ${events.map((event) => event.type).join(', ')}`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });
  expect(await host.handle('project/open', { path: repoDir })).toMatchObject({ ok: true });
  expect(await host.handle('backlog/import', { projectPath: repoDir, format: 'tasks-md', text: BACKLOG })).toMatchObject({ ok: true });
  const settings: ProjectSettings = {
    models: options.models({ root, scriptPath }),
    profile: null,
    sandbox: 'local',
    allowUnsandboxed: true,
    maxTasks: null,
    maxAttempts: null,
    mode: 'branch',
    targetBranch: null,
    allowFailingBaseline: false,
  };
  return { host, repoDir, settings, events, spawned, waitFor };
}

/** The model host process the engine process forked (the only child running modelHostMain). */
function modelHostPid(enginePid: number): number | null {
  const children = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(enginePid)], { encoding: 'utf8' }).split('\n');
  const line = children.find((child) => child.includes('modelHostMain'));
  return line ? Number(line.trim().split(/\s+/)[0]) : null;
}

describe('the engine process', () => {
  it('opens the database with the nativeBinding the supervisor was given, and refuses one that is not an addon, naming it', async () => {
    const missing = join(makeTempDir(), 'build', 'native', 'electron-33.2.0', 'better_sqlite3.node');
    const h = await setUp({ nativeBinding: missing, models: ({ scriptPath }) => `scripted:${scriptPath}` });
    await h.host.handle('session/start', { projectPath: h.repoDir, settings: h.settings });
    const idle = await h.waitFor((event) => event.type === 'control/state' && event.state.state === 'idle');
    expect(idle).toMatchObject({ state: { error: { code: 'STORE_UNAVAILABLE', hint: `Check that ${missing} is a better-sqlite3 binary built for this runtime.` } } });
    expect(h.events.some((event) => event.type === 'session/started')).toBe(false);
  }, 120_000);

  // The tiny model's trained context holds the engine's longest prompts (over 3,500 tokens), so calls reach it.
  it('shows a model host killed during a session as a model-host crash, then its restart, while the session carries on', async () => {
    const h = await setUp({ models: ({ root }) => `local:${createTinyGguf({ path: join(root, 'tiny.gguf'), name: 'tiny-session', contextLength: 8192 }).path}` });
    await h.host.handle('session/start', { projectPath: h.repoDir, settings: h.settings });
    const started = await h.waitFor((event) => event.type === 'session/started');
    await h.waitFor((event) => event.type === 'model/token');
    const hostPid = modelHostPid(h.spawned[0]!.pid!);
    expect(hostPid).not.toBeNull();
    process.kill(hostPid!, 'SIGKILL');

    const crashed = await h.waitFor((event) => event.type === 'process/crashed');
    expect(crashed).toMatchObject({
      process: 'model-host',
      projectPath: h.repoDir,
      sessionId: started.type === 'session/started' ? started.sessionId : '',
      signal: 'SIGKILL',
      restarting: true,
    });
    const restarted = await h.waitFor((event) => event.type === 'process/restarted');
    expect(restarted).toMatchObject({ process: 'model-host', projectPath: h.repoDir, sessionId: crashed.type === 'process/crashed' ? crashed.sessionId : '' });
    // The engine process itself never went down: the session goes on in the same process.
    expect(h.spawned).toHaveLength(1);
    await h.host.handle('session/stop', { projectPath: h.repoDir });
    await h.waitFor((event) => event.type === 'control/state' && event.state.state === 'idle', 300_000);
    expect(h.events.filter((event) => event.type === 'process/crashed' && event.process === 'engine')).toEqual([]);
  }, 420_000);
});
