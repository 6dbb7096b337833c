/*
 * `npm run bench:ui`: how fast the app's views draw with a big history, measured in Debian's Chromium
 * against the real host (`createMainHost` over a generated SQLite database) served as `nightshift serve`
 * serves it. All figures come from one run:
 *   - the database: 100 sessions of 100 task runs each (10,000 task runs) over one git project, plus a
 *     50-task backlog;
 *   - baseline: loading a blank page from the same server in the same browser;
 *   - first render of the app shell (navigation start to the view tabs drawn) and of the first view's data;
 *   - each view: from the tab's click to its content drawn (median of several switches);
 *   - a profile edit in the Models view (a simulated 32 GB Mac): from an input event on the coder's context to
 *     the whole set's fit bar redrawn with the new plan (median of several edits);
 *   - live updates: per engine event pushed over the event stream, from the event's arrival in the page to
 *     the live view's DOM updated (median and 95th percentile over a scripted run of events).
 * Times are taken inside the page (performance.now and a MutationObserver), so Playwright's polling does
 * not count. Each figure is printed next to its target with MET / NOT MET, and its ratio to the baseline.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { createMainHost } from '../../src/host/createMainHost.js';
import { startProtocolServer } from '../../src/host/startProtocolServer.js';
import { createSqliteStore } from '../../src/engine/store/createSqliteStore.js';
import type { EngineEvent } from '../../src/shared/engineEventSchema.js';
import type { TaskStatus } from '../../src/shared/taskStatus.js';
import { buildRenderer } from '../../test/utils/buildRenderer.js';
import { createGitRepo } from '../../test/utils/createGitRepo.js';
import { launchChromium } from '../../test/utils/launchChromium.js';
import { sampleSpec, seedStore } from '../../test/utils/seedStore.js';

const SESSIONS = 100;
const TASK_RUNS_PER_SESSION = 100;
const BACKLOG_TASKS = 50;
const VIEW_SWITCHES = 5;
const LIVE_EVENTS = 600;
const TARGETS = { firstRenderMs: 1000, viewMs: 200, liveEventMs: 16, profileEditMs: 100 };
/** Coder contexts the profile edit alternates between; both fit the simulated 32 GB Mac's profile. */
const PROFILE_EDIT_CONTEXTS = [20480, 24576];
const PROFILE_EDITS = 10;

/**
 * The views as the app's tabs name them, and the element that shows each one's content has been drawn
 * (data loaded, not a spinner).
 */
const VIEWS: Array<{ tab: string; ready: string }> = [
  { tab: 'Projects', ready: '[data-view="projects"] [data-ready]' },
  { tab: 'Backlog', ready: '[data-view="backlog"] [data-ready]' },
  { tab: 'Live run', ready: '[data-view="live"] [data-ready]' },
  { tab: 'Review', ready: '[data-view="review"] [data-ready]' },
  { tab: 'Metrics', ready: '[data-view="metrics"] [data-ready]' },
  { tab: 'History', ready: '[data-view="history"] [data-ready]' },
  { tab: 'Models', ready: '[data-view="models"] [data-ready]' },
];

interface Figure {
  what: string;
  ms: number;
  targetMs: number | null;
}

const figures: Figure[] = [];

/** Clicks a view's tab in the page and returns the time until its content is drawn, in milliseconds. */
function switchView(page: Page, tab: string, ready: string): Promise<number> {
  return page.evaluate(({ tab: key, ready: selector }) => window.__bench!.switchTo(key, selector), { tab, ready });
}

/**
 * Runs in the page before its scripts: records when selectors first match and when live events land. Plain
 * JavaScript in a string, because tsx's transform would add helpers the page does not have.
 */
const INSTRUMENT_PAGE = `(() => {
  const firstSeen = new Map();
  const watched = ['[role="tab"]'];
  let lastReceived = null;
  let live = false;
  const latencies = [];
  const observer = new MutationObserver(() => {
    const now = performance.now();
    for (const selector of watched) if (!firstSeen.has(selector) && document.querySelector(selector)) firstSeen.set(selector, now);
    if (live && lastReceived !== null) {
      latencies.push(now - lastReceived);
      lastReceived = null;
    }
  });
  document.addEventListener('DOMContentLoaded', () => observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true }));
  // The bench's listener is added before the app's, so it stamps each event before the app handles it.
  const NativeEventSource = window.EventSource;
  window.EventSource = class extends NativeEventSource {
    constructor(url, init) {
      super(url, init);
      this.addEventListener('message', () => {
        if (live) lastReceived = performance.now();
      });
    }
  };
  window.__bench = {
    firstSeen: (selector) => firstSeen.get(selector) ?? Number.NaN,
    switchTo: (key, selector) =>
      new Promise((resolve) => {
        const started = performance.now();
        document.querySelector('[data-bench-tab="' + key + '"]').click();
        const check = () => {
          if (!document.querySelector(selector)) return false;
          resolve(performance.now() - started);
          return true;
        };
        if (check()) return;
        const waiting = new MutationObserver(() => {
          if (check()) waiting.disconnect();
        });
        waiting.observe(document.body, { subtree: true, childList: true, attributes: true });
      }),
    // From an input event on a field to the element matching \`drawn\` appearing (the fit bar redrawn).
    edit: (field, value, drawn) =>
      new Promise((resolve) => {
        const input = document.querySelector(field);
        const started = performance.now();
        input.value = value;
        input.dispatchEvent(new Event('input', { bubbles: true }));
        const waiting = new MutationObserver(() => {
          if (!document.querySelector(drawn)) return;
          waiting.disconnect();
          resolve(performance.now() - started);
        });
        waiting.observe(document.body, { subtree: true, childList: true, attributes: true });
      }),
    startLive: () => {
      live = true;
      latencies.length = 0;
    },
    liveLatencies: () => [...latencies],
  };
})();`;

declare global {
  interface Window {
    __bench?: {
      firstSeen(selector: string): number;
      switchTo(tab: string, readySelector: string): Promise<number>;
      edit(field: string, value: string, drawnSelector: string): Promise<number>;
      startLive(): void;
      liveLatencies(): number[];
    };
  }
}

/** 100 finished sessions of 100 task runs, each run with a status, through the store's own methods. */
function generateHistory(options: { dataDir: string; projectPath: string }): void {
  const store = createSqliteStore({ path: join(options.dataDir, 'nightshift.db') });
  const statuses: TaskStatus[] = ['done', 'done', 'done', 'escalated', 'deadlocked', 'skipped', 'failed'];
  const startedAt = Date.UTC(2026, 5, 1, 22);
  try {
    store.transaction(() => {
      for (let index = 0; index < SESSIONS; index++) {
        const taskIds = Array.from({ length: TASK_RUNS_PER_SESSION }, (_, task) => `T${task + 1}`);
        const sessionStart = startedAt + index * 86_400_000;
        const { session, taskRuns } = seedStore({ store, sessionId: `bench${String(index).padStart(3, '0')}`, projectPath: options.projectPath, taskIds, startedAt: sessionStart });
        taskRuns.forEach((taskRun, task) => {
          const status = statuses[(index + task) % statuses.length]!;
          store.updateTaskRun(taskRun.id, {
            status,
            reason: status === 'done' ? 'committed after 1 attempt(s)' : `ended ${status}`,
            attempts: 1 + (task % 3),
            commit: status === 'done' ? (task * 7919 + index).toString(16).padStart(40, '0') : null,
            startedAt: sessionStart + task * 60_000,
            endedAt: sessionStart + task * 60_000 + 45_000,
          });
        });
        store.updateSession(session.id, { status: 'completed', endedAt: sessionStart + 8 * 3_600_000, headCommit: 'f'.repeat(40) });
      }
      const project = store.getProjectByPath(options.projectPath)!;
      store.replaceBacklog({ projectId: project.id, specs: Array.from({ length: BACKLOG_TASKS }, (_, task) => sampleSpec(`B${task + 1}`)), now: startedAt });
    });
  } finally {
    store.dispose();
  }
}

/** A running session's events: a session and task start, then phases, tokens, rails and commands. */
function liveEvents(count: number): EngineEvent[] {
  const at = Date.now();
  const events: EngineEvent[] = [
    { type: 'session/started', at, sessionId: 'live01', projectPath: '/bench', branch: 'nightshift/live01', taskCount: 40, resumed: false, sandbox: 'docker', isolated: true },
    { type: 'task/started', at, sessionId: 'live01', taskRunId: 999_001, taskId: 'T1', title: 'Add a divide function' },
    { type: 'attempt/started', at, taskRunId: 999_001, attempt: 1, maxAttempts: 4 },
  ];
  const phases = ['plan', 'red', 'green', 'gates', 'review'] as const;
  for (let index = 0; events.length < count; index++) {
    const phase = phases[index % phases.length]!;
    events.push({ type: 'phase/started', at, taskRunId: 999_001, attempt: 1, phase });
    for (let token = 0; token < 6; token++) events.push({ type: 'model/token', at, taskRunId: 999_001, role: phase === 'review' ? 'qa' : 'coder', text: `token ${index}-${token} ` });
    if (phase === 'gates') events.push({ type: 'rail/result', at, taskRunId: 999_001, attempt: 1, rail: { name: 'suite', passed: true, detail: '12 passed', durationMs: 840 } });
    events.push({ type: 'command/finished', at, taskRunId: 999_001, attempt: 1, label: 'suite', command: 'python3 -m pytest -q', durationMs: 840, outcome: 'exited', exitCode: 0 });
    events.push({ type: 'phase/finished', at, taskRunId: 999_001, attempt: 1, phase, ok: true, detail: `${phase} done` });
  }
  return events.slice(0, count);
}

function median(values: number[]): number {
  return percentile(values, 0.5);
}

function percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] ?? Number.NaN;
}

function printFigures(): void {
  const baseline = figures.find((figure) => figure.what.startsWith('baseline'))!.ms;
  const width = Math.max(...figures.map((figure) => figure.what.length));
  process.stdout.write(`\nUI bench: ${SESSIONS} sessions, ${SESSIONS * TASK_RUNS_PER_SESSION} task runs, Debian Chromium (times inside the page)\n`);
  process.stdout.write(`  ${'figure'.padEnd(width)}  ${'time'.padStart(9)}  ${'x blank'.padStart(7)}  target\n`);
  for (const figure of figures) {
    const verdict = figure.targetMs === null ? '' : `< ${figure.targetMs} ms: ${figure.ms < figure.targetMs ? 'MET' : 'NOT MET'}`;
    process.stdout.write(`  ${figure.what.padEnd(width)}  ${`${figure.ms.toFixed(1)} ms`.padStart(9)}  ${(figure.ms / baseline).toFixed(2).padStart(7)}  ${verdict}\n`);
  }
}

/** Generates the history, serves it and measures; the table is printed at the end. */
async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'nightshift-ui-bench-'));
  try {
    process.stdout.write('Building the renderer and generating the database…\n');
    const staticDir = join(root, 'renderer');
    await buildRenderer({ outDir: staticDir });
    writeFileSync(join(staticDir, 'blank.html'), '<!doctype html><title>blank</title><p id="blank">blank</p>');
    const repoDir = createGitRepo({ dir: join(root, 'project'), commits: [{ files: { 'README.md': '# bench\n' } }] });
    const dataDir = join(root, 'data');
    generateHistory({ dataDir, projectPath: repoDir });

    // The Models view plans for a 32 GB Mac whatever machine the bench runs on.
    const host = createMainHost({ dataDir, machine: { totalMemoryBytes: 32 * 1024 ** 3, metalWorkingSetBytes: Math.floor((32 * 1024 ** 3 * 2) / 3) } });
    const opened = await host.handle('project/open', { path: repoDir });
    if (!opened.ok) throw new Error(`project/open failed: ${opened.error.message}`);
    const server = await startProtocolServer({ staticDir, token: 'bench-token-0123456789abcdef', handle: (name, request) => host.handle(name, request) });
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      await page.addInitScript({ content: INSTRUMENT_PAGE });

      const blank = [];
      for (let run = 0; run < 3; run++) {
        await page.goto(`${server.origin}/blank.html?token=bench-token-0123456789abcdef`);
        blank.push(await page.evaluate(() => performance.getEntriesByType('navigation')[0]!.duration));
      }
      figures.push({ what: 'baseline: blank page load', ms: median(blank), targetMs: null });

      await page.goto(server.url);
      await page.getByRole('tab').first().waitFor();
      figures.push({ what: 'first render: app shell', ms: await page.evaluate(() => window.__bench!.firstSeen('[role="tab"]')), targetMs: TARGETS.firstRenderMs });

      for (const view of VIEWS) {
        await page.getByRole('tab', { name: view.tab, exact: true }).evaluate((element, key) => element.setAttribute('data-bench-tab', key), view.tab);
      }
      for (const view of VIEWS) {
        const times: number[] = [];
        for (let run = 0; run < VIEW_SWITCHES; run++) {
          const other = VIEWS.find((each) => each !== view)!;
          await switchView(page, other.tab, other.ready);
          times.push(await switchView(page, view.tab, view.ready));
        }
        figures.push({ what: `view: ${view.tab}`, ms: median(times), targetMs: TARGETS.viewMs });
      }

      const models = VIEWS.find((view) => view.tab === 'Models')!;
      await switchView(page, models.tab, models.ready);
      const edits: number[] = [];
      for (let run = 0; run < PROFILE_EDITS; run++) {
        const context = String(PROFILE_EDIT_CONTEXTS[run % PROFILE_EDIT_CONTEXTS.length]);
        edits.push(
          await page.evaluate(
            ({ value }) => window.__bench!.edit('#models-coder-contextSize', value, `[data-fit="set"][data-plan*="coder:${value},"]`),
            { value: context },
          ),
        );
      }
      figures.push({ what: 'profile edit re-plans and redraws, median', ms: median(edits), targetMs: TARGETS.profileEditMs });

      const live = VIEWS.find((view) => view.tab === 'Live run')!;
      await switchView(page, live.tab, live.ready);
      await server.waitForEventClients(1);
      await page.evaluate(() => window.__bench!.startLive());
      for (const event of liveEvents(LIVE_EVENTS)) {
        server.push(event);
        // One event per frame or so, as a running session sends them; bursts would measure batching instead.
        await new Promise((resolve) => setTimeout(resolve, 8));
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
      const latencies = await page.evaluate(() => window.__bench!.liveLatencies());
      if (latencies.length < LIVE_EVENTS / 2) throw new Error(`only ${latencies.length} of ${LIVE_EVENTS} live events changed the page`);
      figures.push({ what: `live update per event, median (${latencies.length} events)`, ms: median(latencies), targetMs: TARGETS.liveEventMs });
      figures.push({ what: 'live update per event, 95th percentile', ms: percentile(latencies, 0.95), targetMs: null });
    } finally {
      await browser.close();
      await server.close();
      await host.dispose();
    }
    printFigures();
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

await main();
