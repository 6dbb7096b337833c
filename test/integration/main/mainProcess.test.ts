import { spawnSync, fork, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSqliteStore } from '../../../src/engine/store/createSqliteStore.js';
import type { EngineEvent } from '../../../src/shared/engineEventSchema.js';
import { createPythonFixture } from '../../fixtures/createPythonFixture.js';
import { localRunSettings } from '../../utils/localRunSettings.js';
import { makeTempDir } from '../../utils/makeTempDir.js';

// The built main process (out/main/index.js) run under Node with a fake `electron` module
// (test/fixtures/fakeElectron.ts), so its wiring is tested where Electron's binary is missing: the IPC
// sender check, the folder picker, the engine utilityProcess restarted after a SIGKILL, tray, power-save
// blocker, notifications, and a quit that asks and then waits for the current step. The real Electron run of
// the same checks is test/e2e/electron/electronApp.test.ts.

const root = fileURLToPath(new URL('../../../', import.meta.url));
const require = createRequire(import.meta.url);

interface Record_ {
  type: 'record';
  what: string;
  [field: string]: unknown;
}

interface FakeElectronMain {
  child: ChildProcess;
  records: Record_[];
  /** Engine events main sent to the window. */
  events(): EngineEvent[];
  /** Calls an IPC handler as the window's main frame or an iframe would. */
  invoke(channel: string, request: unknown, from: 'main' | 'iframe'): Promise<{ value?: unknown; thrown?: string }>;
  command(command: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** Resolves with the first record (seen or to come) that `accept` takes. */
  waitFor(accept: (record: Record_) => boolean, timeoutMs?: number): Promise<Record_>;
  exited: Promise<number | null>;
}

let appPath: string;

beforeAll(() => {
  const built = spawnSync(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], { cwd: root, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`electron-vite build failed:\n${built.stdout}\n${built.stderr}`);
  // Main loads the SQLite addon built for Electron's ABI from the app's folder; under Node, Node's own build.
  appPath = mkdtempSync(join(tmpdir(), 'nightshift-app-'));
  mkdirSync(join(appPath, 'build', 'native', 'electron-'), { recursive: true });
  const addon = join(require.resolve('better-sqlite3/package.json'), '..', 'build', 'Release', 'better_sqlite3.node');
  copyFileSync(addon, join(appPath, 'build', 'native', 'electron-', 'better_sqlite3.node'));
});

afterAll(() => rmSync(appPath, { recursive: true, force: true }));

const running: ChildProcess[] = [];
afterEach(() => {
  for (const child of running.splice(0)) child.kill('SIGKILL');
});

function startMain(env: NodeJS.ProcessEnv): FakeElectronMain {
  const child = fork(join(root, 'test', 'fixtures', 'runMainWithFakeElectron.ts'), [join(root, 'out', 'main', 'index.js')], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, FAKE_ELECTRON_APP_PATH: appPath, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  running.push(child);
  const records: Record_[] = [];
  const waiters = new Set<{ accept: (record: Record_) => boolean; resolve: (record: Record_) => void }>();
  const replies = new Map<number, (reply: Record<string, unknown>) => void>();
  let nextId = 1;
  child.on('message', (raw) => {
    const message = raw as Record<string, unknown>;
    if (message.type === 'reply') {
      const reply = { ...message };
      delete reply.type;
      delete reply.id;
      replies.get(message.id as number)?.(reply);
      return;
    }
    const record = message as Record_;
    records.push(record);
    for (const waiter of [...waiters]) {
      if (waiter.accept(record)) {
        waiters.delete(waiter);
        waiter.resolve(record);
      }
    }
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const command = (fields: Record<string, unknown>) =>
    new Promise<Record<string, unknown>>((resolve) => {
      const id = nextId++;
      replies.set(id, resolve);
      child.send({ ...fields, id });
    });
  return {
    child,
    records,
    events: () => records.filter((record) => record.what === 'send' && record.channel === 'nightshift:events').map((record) => record.payload as EngineEvent),
    invoke: (channel, request, from) => command({ type: 'invoke', channel, request, from }),
    command,
    waitFor: (accept, timeoutMs = 180_000) =>
      new Promise((resolve, reject) => {
        const seen = records.find(accept);
        if (seen) return resolve(seen);
        const timer = setTimeout(() => reject(new Error(`no such record within ${timeoutMs} ms; records: ${JSON.stringify(records.slice(-20))}`)), timeoutMs);
        waiters.add({
          accept,
          resolve: (record) => {
            clearTimeout(timer);
            resolve(record);
          },
        });
      }),
    exited,
  };
}

const isEvent = (accept: (event: EngineEvent) => boolean) => (record: Record_) =>
  record.what === 'send' && record.channel === 'nightshift:events' && accept(record.payload as EngineEvent);

describe('the main process under a fake Electron', () => {
  it('opens a sandboxed, isolated window and answers IPC from its main frame only', async () => {
    const scratch = makeTempDir();
    const main = startMain({ NIGHTSHIFT_HOME: join(scratch, 'data'), FAKE_ELECTRON_PICKED_FOLDER: '/home/dev/picked' });
    const window = await main.waitFor((record) => record.what === 'window', 60_000);
    expect(window.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });
    expect(await main.waitFor((record) => record.what === 'tray')).toMatchObject({ text: 'Nightshift: Idle' });

    expect(await main.invoke('nightshift:session/list', {}, 'main')).toEqual({ value: { ok: true, value: [] } });
    expect(await main.invoke('nightshift:session/list', {}, 'iframe')).toMatchObject({ value: { ok: false, error: { code: 'UNTRUSTED_SENDER' } } });
    expect(await main.invoke('nightshift:project/open', { path: scratch }, 'iframe')).toMatchObject({ value: { ok: false, error: { code: 'UNTRUSTED_SENDER' } } });
    expect(await main.invoke('nightshift:pick-folder', undefined, 'main')).toEqual({ value: '/home/dev/picked' });
    expect(await main.invoke('nightshift:pick-folder', undefined, 'iframe')).toEqual({
      thrown: 'Request on nightshift:pick-folder refused: it did not come from the Nightshift window.',
    });

    // Nothing runs, so a quit does not ask.
    await main.command({ type: 'quit' });
    expect(await main.exited).toBe(0);
    expect(main.records.some((record) => record.what === 'messageBox')).toBe(false);
  });

  it('restarts a SIGKILLed engine, keeps the machine awake while the session runs, and quits only when asked, after the step', async () => {
    const scratch = makeTempDir();
    const dataDir = join(scratch, 'data');
    const { repoDir, scriptPath } = createPythonFixture({ parent: scratch });
    const main = startMain({ NIGHTSHIFT_HOME: dataDir });
    await main.waitFor((record) => record.what === 'window', 60_000);

    const opened = (await main.invoke('nightshift:project/open', { path: repoDir }, 'main')).value as { ok: true; value: { path: string } };
    expect(opened.ok).toBe(true);
    const projectPath = opened.value.path;
    const text = readFileSync(join(repoDir, 'TASKS.md'), 'utf8');
    expect(await main.invoke('nightshift:backlog/import', { projectPath, format: 'tasks-md', text }, 'main')).toMatchObject({ value: { ok: true } });
    const settings = localRunSettings({ models: `scripted:${scriptPath}` });
    expect(await main.invoke('nightshift:project/settings', { projectPath, settings }, 'main')).toMatchObject({ value: { ok: true } });
    expect(await main.invoke('nightshift:session/start', { projectPath }, 'main')).toMatchObject({ value: { ok: true } });

    await main.waitFor((record) => record.what === 'tray' && /^Nightshift: Running task \d of 5$/.test(String(record.text)));
    expect(main.records.filter((record) => record.what === 'power')).toEqual([
      { type: 'record', what: 'power', action: 'start', blockerType: 'prevent-app-suspension' },
    ]);

    const engine = await main.waitFor((record) => record.what === 'utility' && record.serviceName === 'Nightshift engine');
    process.kill(engine.pid as number, 'SIGKILL');
    const crashed = await main.waitFor(isEvent((event) => event.type === 'process/crashed' && event.process === 'engine'));
    expect(crashed.payload).toMatchObject({ restarting: true });
    await main.waitFor(isEvent((event) => event.type === 'process/restarted' && event.process === 'engine'));
    const restarted = await main.waitFor((record) => record.what === 'utility' && record.serviceName === 'Nightshift engine' && record.pid !== engine.pid);
    expect(restarted.pid).toEqual(expect.any(Number));
    // The resumed run is back at a task (past its preflight), so the quit below stops it mid-task.
    await main.waitFor(
      isEvent((event) => event.type === 'control/state' && event.state.state === 'running' && event.state.engineRestarts === 1 && event.state.task !== null),
    );

    // The user keeps the session running: nothing stops, nothing exits.
    await main.command({ type: 'answer', response: 1 });
    await main.command({ type: 'quit' });
    const asked = await main.waitFor((record) => record.what === 'messageBox');
    expect(asked.message).toBe('A session is running. Stop it after the current step and quit?');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(main.records.some((record) => record.what === 'exit')).toBe(false);
    expect(main.events().some((event) => event.type === 'control/state' && event.state.state === 'stopping')).toBe(false);

    // Then stops and quits: the step finishes and is recorded before the process exits.
    await main.command({ type: 'answer', response: 0 });
    await main.command({ type: 'quit' });
    expect(await main.exited).toBe(0);
    const stopping = main.records.findIndex(isEvent((event) => event.type === 'control/state' && event.state.state === 'stopping'));
    const exit = main.records.findIndex((record) => record.what === 'exit');
    expect(stopping).toBeGreaterThan(-1);
    expect(exit).toBeGreaterThan(stopping);
    expect(main.records.filter((record) => record.what === 'power').map((record) => record.action)).toEqual(['start', 'stop']);
    expect(main.records.some((record) => record.what === 'tray' && record.text === 'Nightshift: Stopping after the current step')).toBe(true);
    expect(main.records.filter((record) => record.what === 'notification')).toContainEqual(expect.objectContaining({ title: 'Nightshift session stopped' }));

    const store = createSqliteStore({ path: join(dataDir, 'nightshift.db') });
    const [session] = store.listSessions();
    const tasks = store.listTaskRuns(session!.id);
    store.dispose();
    expect(session?.status).toBe('stopped');
    expect(tasks.some((task) => task.status === 'running')).toBe(false);
  });
});
