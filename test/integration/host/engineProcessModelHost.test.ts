import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createEngineSupervisor } from '../../../src/host/createEngineSupervisor.js';
import { createMainHost } from '../../../src/host/createMainHost.js';
import { forkEngineProcess } from '../../../src/host/forkEngineProcess.js';
import type { EngineProcess } from '../../../src/host/SpawnEngineProcess.js';
import { createPythonFixture } from '../../fixtures/createPythonFixture.js';
import { createTinyGguf } from '../../fixtures/createTinyGguf.js';
import { localRunSettings } from '../../utils/localRunSettings.js';
import { makeTempDir } from '../../utils/makeTempDir.js';
import { recordEngineEvents } from '../../utils/recordEngineEvents.js';
import { twoTaskBacklog } from '../../utils/twoTaskBacklog.js';

/** The compiled entry (vitest's globalSetup builds out/cli), as `nightshift serve` runs it. */
const ENGINE_ENTRY = resolve('out/cli/engineProcessMain.js');

/** A host with the supervisor over real engine processes, on a Python project with its first two tasks imported. */
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
  const { events, waitFor } = recordEngineEvents({ subscribe: (listener) => host.onEvent(listener) });
  expect(await host.handle('project/open', { path: repoDir })).toMatchObject({ ok: true });
  expect(await host.handle('backlog/import', { projectPath: repoDir, format: 'tasks-md', text: twoTaskBacklog })).toMatchObject({ ok: true });
  const settings = localRunSettings({ models: options.models({ root, scriptPath }) });
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
