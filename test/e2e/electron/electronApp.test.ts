/// <reference lib="dom" />
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../src/shared/engineEventSchema.js';
import type { NightshiftBridge, ProtocolResult } from '../../../src/shared/protocol.js';
import { createPythonFixture } from '../../fixtures/createPythonFixture.js';
import { localRunSettings } from '../../utils/localRunSettings.js';

// Electron's own tests: the built app (out/main) launched in Electron through Playwright. npm install does not
// download Electron's binary (package.json allowScripts), so where it is missing the suite is reported as
// skipped with the reason in its name, never as passed; README "Desktop app tests (on a Mac)" runs it.

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** The Electron executable, or null when its binary was never downloaded (`require('electron')` throws then). */
function findElectron(): string | null {
  try {
    const executable = createRequire(import.meta.url)('electron') as unknown;
    return typeof executable === 'string' && existsSync(executable) ? executable : null;
  } catch {
    return null;
  }
}

const electronPath = findElectron();
const NOT_RUN = ' (not run: Electron binary missing; see README "Desktop app tests (on a Mac)")';
if (!electronPath) console.warn(`Electron app tests${NOT_RUN}`);

declare global {
  interface Window {
    nightshift: NightshiftBridge;
    /** Every engine event the window received, collected by the test. */
    __events: EngineEvent[];
  }
}

/** Runs a command from the repository root and fails with its output when it does. */
function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): void {
  const result = spawnSync(command, args, { cwd: root, env, encoding: 'utf8', stdio: 'pipe' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status ?? result.signal}):\n${result.stdout}\n${result.stderr}`);
}

describe.skipIf(!electronPath)(`Electron app${electronPath ? '' : NOT_RUN}`, () => {
  let app: ElectronApplication;
  let page: Page;
  let dataDir: string;
  let scratch: string;

  beforeAll(async () => {
    // The SQLite addon for Electron's ABI (what `npm start` builds first), then the app's bundles in out/.
    run(process.execPath, ['build/scripts/ensureDeps.mjs'], { ...process.env, npm_lifecycle_event: 'prestart' });
    run(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build']);
    scratch = mkdtempSync(join(tmpdir(), 'nightshift-electron-'));
    dataDir = join(scratch, 'data');
    app = await _electron.launch({
      executablePath: electronPath!,
      // A user data folder of its own, so a Nightshift the developer has open does not hold the single-instance lock.
      args: [root, `--user-data-dir=${join(scratch, 'user-data')}`],
      cwd: root,
      env: { ...process.env, NIGHTSHIFT_HOME: dataDir, ELECTRON_RENDERER_URL: '' },
    });
    page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
    await page.evaluate(() => {
      window.__events = [];
      window.nightshift.onEvent((event) => window.__events.push(event));
    });
  });

  afterAll(async () => {
    if (app) {
      // A test that failed mid-session leaves the quit question open; the process is ended after a minute then.
      const timer = setTimeout(() => app.process().kill('SIGKILL'), 60_000);
      await app.close().catch(() => {});
      clearTimeout(timer);
    }
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  /** Process ids of the running "Nightshift engine" utility processes (the name utilityProcess.fork was given). */
  const enginePids = () =>
    app.evaluate(({ app: electronApp }) =>
      electronApp
        .getAppMetrics()
        .filter((metric) => metric.type === 'Utility' && (metric.name === 'Nightshift engine' || metric.serviceName === 'Nightshift engine'))
        .map((metric) => metric.pid),
    );

  /** How many events the window has received so far. */
  const eventCount = () => page.evaluate(() => window.__events.length);

  /** Polls the window's events, from the `from`-th on, until `accept` takes one; returns it. */
  async function waitForEvent(accept: (event: EngineEvent) => boolean, from = 0): Promise<EngineEvent> {
    let found: EngineEvent | undefined;
    await expect
      .poll(
        async () => {
          found = (await page.evaluate((start) => window.__events.slice(start), from)).find(accept);
          return found !== undefined;
        },
        { timeout: 180_000, interval: 250 },
      )
      .toBe(true);
    return found!;
  }

  it('opens its window with context isolation and the sandbox on and no Node integration', async () => {
    const preferences = await app.evaluate(({ BrowserWindow }) => {
      // Not in electron.d.ts, but the one way to read back what the window was created with.
      const contents = BrowserWindow.getAllWindows()[0]!.webContents as unknown as { getLastWebPreferences(): Electron.WebPreferences | null };
      const preferences = contents.getLastWebPreferences();
      return {
        contextIsolation: preferences?.contextIsolation,
        sandbox: preferences?.sandbox,
        nodeIntegration: preferences?.nodeIntegration,
        nodeIntegrationInSubFrames: preferences?.nodeIntegrationInSubFrames ?? false,
        webviewTag: preferences?.webviewTag ?? false,
      };
    });
    expect(preferences).toEqual({ contextIsolation: true, sandbox: true, nodeIntegration: false, nodeIntegrationInSubFrames: false, webviewTag: false });
    const reachable = await page.evaluate(() =>
      ['require', 'process', 'module', 'Buffer', 'global'].map((name) => `${name}: ${typeof (globalThis as Record<string, unknown>)[name]}`),
    );
    expect(reachable).toEqual(['require: undefined', 'process: undefined', 'module: undefined', 'Buffer: undefined', 'global: undefined']);
  });

  it('gives the window exactly invoke, onEvent and pickFolder, and only protocol messages through invoke', async () => {
    const surface = await page.evaluate(async () => ({
      keys: Object.keys(window.nightshift).sort(),
      ipcRenderer: typeof (window as unknown as Record<string, unknown>).ipcRenderer,
      list: await window.nightshift.invoke('session/list', {}),
      unknown: await window.nightshift.invoke('nightshift:pick-folder' as never, {} as never),
    }));
    expect(surface.keys).toEqual(['invoke', 'onEvent', 'pickFolder']);
    expect(surface.ipcRenderer).toBe('undefined');
    expect(surface.list).toEqual({ ok: true, value: [] });
    expect(surface.unknown).toMatchObject({ ok: false, error: { code: 'UNKNOWN_MESSAGE' } });
  });

  it('refuses IPC that does not come from the window’s main frame', async () => {
    await page.evaluate(async () => {
      const frame = document.createElement('iframe');
      frame.srcdoc = '<p>embedded</p>';
      const loaded = new Promise((resolve) => frame.addEventListener('load', resolve));
      document.body.append(frame);
      await loaded;
    });
    // An iframe has no preload, so nothing in it can send; the handlers are called as Electron calls them,
    // with the iframe's real WebFrameMain as the sender, through ipcMain's registry of invoke handlers.
    const answers = await app.evaluate(async ({ BrowserWindow, ipcMain }) => {
      const mainFrame = BrowserWindow.getAllWindows()[0]!.webContents.mainFrame;
      const iframe = mainFrame.frames[0];
      const handlers = (ipcMain as unknown as { _invokeHandlers: Map<string, (event: unknown, ...args: unknown[]) => void> })._invokeHandlers;
      const call = (channel: string, senderFrame: unknown) =>
        new Promise<unknown>((resolve) =>
          handlers.get(channel)!({ senderFrame, _reply: (value: unknown) => resolve({ value }), _throw: (error: unknown) => resolve({ thrown: String(error) }) }, {}),
        );
      return {
        iframeFound: iframe !== undefined,
        fromIframe: await call('nightshift:session/list', iframe),
        pickFromIframe: await call('nightshift:pick-folder', iframe),
        fromMainFrame: await call('nightshift:session/list', mainFrame),
      };
    });
    expect(answers.iframeFound).toBe(true);
    expect(answers.fromIframe).toMatchObject({ value: { ok: false, error: { code: 'UNTRUSTED_SENDER' } } });
    expect(answers.pickFromIframe).toMatchObject({ thrown: expect.stringContaining('did not come from the Nightshift window') });
    expect(answers.fromMainFrame).toEqual({ value: { ok: true, value: [] } });
  });

  it('restarts a SIGKILLed engine process and the session carries on', async () => {
    const { repoDir, scriptPath } = createPythonFixture({ parent: scratch });
    const tasksMd = readFileSync(join(repoDir, 'TASKS.md'), 'utf8');
    const results = await page.evaluate(
      async ({ repoDir, settings, tasksMd }) => {
        const opened = await window.nightshift.invoke('project/open', { path: repoDir });
        if (!opened.ok) return [opened];
        const projectPath = opened.value.path;
        return [
          opened,
          await window.nightshift.invoke('backlog/import', { projectPath, format: 'tasks-md', text: tasksMd }),
          await window.nightshift.invoke('project/settings', { projectPath, settings }),
          await window.nightshift.invoke('session/start', { projectPath }),
        ] as Array<ProtocolResult<unknown>>;
      },
      { repoDir, settings: localRunSettings({ models: `scripted:${scriptPath}` }), tasksMd },
    );
    expect(results.map((result) => (result.ok ? 'ok' : result.error))).toEqual(['ok', 'ok', 'ok', 'ok']);

    await waitForEvent((event) => event.type === 'control/state' && event.state.state === 'running' && event.state.task !== null);
    const engines = await enginePids();
    expect(engines).toHaveLength(1);
    const beforeKill = await eventCount();
    process.kill(engines[0]!, 'SIGKILL');

    const crashed = await waitForEvent((event) => event.type === 'process/crashed' && event.process === 'engine', beforeKill);
    expect(crashed).toMatchObject({ restarting: true });
    await waitForEvent((event) => event.type === 'process/restarted' && event.process === 'engine', beforeKill);
    await waitForEvent(
      (event) => event.type === 'control/state' && event.state.state === 'running' && event.state.engineRestarts === 1 && event.state.task !== null,
      beforeKill,
    );
    const restarted = await enginePids();
    expect(restarted).toHaveLength(1);
    expect(restarted[0]).not.toBe(engines[0]);

    // A clean stop ends the run after its current step, so the app quits without asking.
    const projectPath = (results[0] as { value: { path: string } }).value.path;
    const beforeStop = await eventCount();
    expect(await page.evaluate((projectPath) => window.nightshift.invoke('session/stop', { projectPath }), projectPath)).toMatchObject({ ok: true });
    await waitForEvent((event) => event.type === 'control/state' && event.state.state === 'idle', beforeStop);
    await expect.poll(enginePids, { timeout: 30_000 }).toEqual([]);
  });
});
