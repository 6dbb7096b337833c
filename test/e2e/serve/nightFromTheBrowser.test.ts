import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../src/shared/engineEventSchema.js';
import { createPythonFixture } from '../../fixtures/createPythonFixture.js';
import { buildRenderer } from '../../utils/buildRenderer.js';
import { git } from '../../utils/createGitRepo.js';
import { findTestDocker } from '../../utils/findTestDocker.js';
import { launchChromium } from '../../utils/launchChromium.js';
import { CLI_BIN } from '../../utils/runCli.js';
import { snapshotUserRepo } from '../../utils/snapshotUserRepo.js';

// A night driven from the browser as a user drives it: the real `nightshift serve` (the compiled CLI) with
// its engine child process, real SQLite, a real git repository, the real sandbox and scripted model
// answers; the built renderer in Debian's Chromium. Nothing is called behind the page's back except `ps`
// and `kill`, to crash the engine process the way an OOM or a native fault would.

const SCREENSHOTS = fileURLToPath(new URL('../../../test-results/', import.meta.url));

/** The backlog document the user imports: T1 (answered well) and T3 (answered with a test that cannot bite). */
const IMPORTED = `# Calculator backlog

## T1: Add a divide function
Create \`divide(a, b)\` in calc/divide.py that returns a / b and raises ValueError when b is 0.
Files: calc/divide.py, tests/test_divide.py

## T3: Add a percent function
Create percent(part, whole) in calc/percent.py that returns part / whole * 100.
Files: calc/percent.py, tests/test_percent.py
`;

let root: string;
let repoDir: string;
let scriptPath: string;
let serve: ChildProcessWithoutNullStreams;
let serveOutput = '';
let url: string;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'nightshift-night-browser-'));
  const fixture = createPythonFixture({ parent: root });
  repoDir = fixture.repoDir;
  // Answers stream at a model's pace, so the night lasts long enough to be stopped and crashed mid-task.
  scriptPath = join(root, 'paced-script.json');
  writeFileSync(scriptPath, JSON.stringify({ ...JSON.parse(readFileSync(fixture.scriptPath, 'utf8')), delayMs: 300 }));
  const rendererDir = join(root, 'renderer');
  await buildRenderer({ outDir: rendererDir });
  serve = spawn(process.execPath, [CLI_BIN, 'serve', '--port', '0', '--data-dir', join(root, 'data'), '--renderer-dir', rendererDir], { stdio: ['pipe', 'pipe', 'pipe'] });
  serve.stderr.setEncoding('utf8').on('data', (text: string) => (serveOutput += text));
  url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve printed no URL in time:\n${serveOutput}`)), 60_000);
    serve.stdout.setEncoding('utf8').on('data', (text: string) => {
      serveOutput += text;
      const match = /served at (http:\/\/\S+)/.exec(serveOutput);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    serve.once('exit', (code) => reject(new Error(`serve exited with ${code}:\n${serveOutput}`)));
  });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1440, height: 960 } });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  // Records every event the page receives, so the test can wait on the engine's progress as the page sees it.
  await page.addInitScript(() => {
    const events: unknown[] = [];
    (window as unknown as { __events: unknown[] }).__events = events;
    const NativeEventSource = window.EventSource;
    window.EventSource = class extends NativeEventSource {
      constructor(source: string | URL, init?: EventSourceInit) {
        super(source, init);
        this.addEventListener('message', (message) => events.push(JSON.parse((message as MessageEvent<string>).data)));
      }
    };
  });
  await page.goto(url);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  if (serve && serve.exitCode === null) {
    serve.kill('SIGTERM');
    await new Promise((resolve) => {
      const timer = setTimeout(() => resolve(serve.kill('SIGKILL')), 60_000);
      serve.once('exit', () => resolve(clearTimeout(timer)));
    });
  }
  rmSync(root, { recursive: true, force: true });
});

/** Waits until the page has received an event `matches` accepts, and returns it. */
async function waitForEvent<T extends EngineEvent['type']>(type: T, matches: (event: Extract<EngineEvent, { type: T }>) => boolean = () => true, timeoutMs = 300_000): Promise<Extract<EngineEvent, { type: T }>> {
  const started = Date.now();
  for (;;) {
    const events = (await page.evaluate(() => (window as unknown as { __events: unknown[] }).__events)) as EngineEvent[];
    const found = events.find((event): event is Extract<EngineEvent, { type: T }> => event.type === type && matches(event as Extract<EngineEvent, { type: T }>));
    if (found) return found;
    if (Date.now() - started > timeoutMs) {
      const story = events.map((event) => JSON.stringify(event).slice(0, 300)).join('\n');
      throw new Error(`no ${type} event in ${timeoutMs} ms; the page got:\n${story}\nserve said:\n${serveOutput}`);
    }
    await page.waitForTimeout(250);
  }
}

/** Pids of the engine processes `nightshift serve` runs. */
function enginePids(): number[] {
  const table = execFileSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' });
  return table
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null && Number(match[2]) === serve.pid && match[3]!.includes('engineProcessMain'))
    .map((match) => Number(match[1]));
}

async function screenshot(name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `serve-${name}.png`), fullPage: true });
}

describe('a night from the browser against nightshift serve', () => {
  it('opens a Python project, shapes its backlog, runs, stops, resumes and survives an engine crash, and the review explains every task', async () => {
    const userTree = snapshotUserRepo(repoDir);
    const baseCommit = git(repoDir, 'rev-parse', 'HEAD');
    const sandbox = (await findTestDocker()).docker ? 'docker' : 'native';

    // Projects: open by path (a browser has no folder picker), see what Nightshift makes of it, run the baseline.
    await page.getByLabel('Project', { exact: true }).fill(repoDir);
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    const projects = page.getByRole('main', { name: 'Projects' });
    await expect.poll(() => projects.textContent(), { timeout: 60_000 }).toContain('pytest');
    await projects.getByRole('button', { name: /baseline/i }).click();
    const baselineOutput = projects.getByLabel('Baseline output');
    await baselineOutput.waitFor({ timeout: 180_000 });
    expect(await baselineOutput.textContent()).toMatch(/1 passed/);
    await screenshot('projects');

    // Backlog: import two tasks, add the third by hand.
    await page.getByRole('tab', { name: 'Backlog' }).click();
    await page.getByLabel('Format').selectOption('tasks-md');
    await page.getByLabel('Document to import').fill(IMPORTED);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.locator('li[data-task-id="T3"]').waitFor();
    const form = page.getByRole('form', { name: 'Add a task' });
    await form.getByLabel('Id').fill('T2');
    await form.getByLabel('Title').fill('Add a clamp function');
    await form.getByLabel('Description').fill('Create clamp(value, low, high) in calc/clamp.py returning value limited to the range [low, high].');
    await form.getByLabel('Target files').fill('calc/clamp.py, tests/test_clamp.py');
    await form.getByRole('button', { name: 'Add task' }).click();
    await page.locator('li[data-task-id="T2"]').waitFor();
    await page.getByRole('button', { name: 'Move T2 up' }).click();
    await expect
      .poll(() => page.getByRole('list', { name: 'Backlog tasks' }).locator('li[data-task-id]').evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-task-id'))))
      .toEqual(['T1', 'T2', 'T3']);
    await screenshot('backlog');

    // Session: scripted answers, the real sandbox, start now.
    await page.getByRole('tab', { name: 'Projects' }).click();
    const start = page.getByRole('form', { name: 'Start a session' });
    await start.locator('summary').click();
    await start.getByLabel('Scripted answers (demos)').check();
    await start.getByLabel('Script file').fill(scriptPath);
    await start.getByLabel('Run commands in').selectOption(sandbox);
    await start.getByRole('button', { name: 'Start session' }).click();
    const first = await waitForEvent('session/started');
    expect(first).toMatchObject({ resumed: false, taskCount: 3 });

    // Live run: phases and rails arrive as they happen.
    await page.getByRole('tab', { name: 'Live run' }).click();
    const live = page.getByRole('main', { name: 'Live run' });
    await live.locator('li[data-step="red"][data-state="ok"]').waitFor({ timeout: 300_000 });
    await live.locator('tr[data-rail]').first().waitFor({ timeout: 300_000 });
    await waitForEvent('rail/result');
    await waitForEvent('task/finished', (event) => event.taskId === 'T1');
    await screenshot('live-run');

    // Stop after the current step, then start again: the same session resumes.
    await page.getByRole('tab', { name: 'Projects' }).click();
    await page.getByRole('button', { name: /^Stop/ }).click();
    await page.locator('[aria-label="Session state"][data-state="idle"]').waitFor({ timeout: 300_000 });
    await waitForEvent('session/finished', (event) => event.sessionId === first.sessionId && event.status === 'stopped');
    await start.getByRole('button', { name: 'Start session' }).click();
    const resumed = await waitForEvent('session/started', (event) => event.sessionId === first.sessionId && event.resumed);

    // Kill the engine mid-task: the page says so, the host restarts it and the session carries on.
    await waitForEvent('phase/started', (event) => event.phase === 'green' && event.at >= resumed.at);
    const [engine] = enginePids();
    expect(engine, 'the engine child of nightshift serve').toBeDefined();
    process.kill(engine!, 'SIGKILL');
    await page.getByRole('tab', { name: 'Live run' }).click();
    const notices = live.getByRole('list', { name: 'Process notices' });
    await expect.poll(() => notices.textContent(), { timeout: 120_000 }).toContain('engine process stopped unexpectedly (SIGKILL)');
    await expect.poll(() => notices.textContent(), { timeout: 120_000 }).toContain('engine process is back');
    const finished = await waitForEvent('session/finished', (event) => event.sessionId === first.sessionId && event.status !== 'stopped', 600_000);
    expect(finished.counts).toMatchObject({ done: 2, deadlocked: 1 });
    expect(enginePids().length).toBeLessThanOrEqual(1);

    // Review: one session, two commits and one refusal with its explanation.
    await page.getByRole('tab', { name: 'Review' }).click();
    const review = page.getByRole('main', { name: 'Review' });
    await review.getByRole('button').filter({ hasText: first.branch }).first().click();
    const tasks = review.getByRole('list', { name: 'Tasks' });
    await tasks.locator('button[data-task-run-id]').nth(2).waitFor();
    expect(await review.locator('[data-session-id]').count()).toBe(1);
    await tasks.getByRole('button').filter({ hasText: 'T3' }).click();
    const explanation = review.getByRole('article', { name: 'Task explanation' });
    await expect.poll(() => explanation.textContent()).toMatch(/deadlock/i);
    expect(await explanation.textContent()).toMatch(/bite/);
    await tasks.getByRole('button').filter({ hasText: 'T1' }).click();
    await expect.poll(() => explanation.textContent()).toContain('divide');
    const commit = git(repoDir, 'rev-parse', `${first.branch}~1`);
    expect(await explanation.textContent()).toContain(commit.slice(0, 10));
    await screenshot('review');

    // What reached git: T1 then T2 on the session's branch, the user's own tree untouched.
    expect(git(repoDir, 'log', '--format=%s', `${baseCommit}..${first.branch}`).split('\n')).toHaveLength(2);
    expect(git(repoDir, 'rev-parse', 'HEAD')).toBe(baseCommit);
    expect(snapshotUserRepo(repoDir)).toEqual(userTree);
    expect(pageErrors).toEqual([]);
  }, 1_200_000);
});
