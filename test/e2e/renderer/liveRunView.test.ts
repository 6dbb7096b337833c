import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../src/shared/engineEventSchema.js';
import type { ProtocolName, ProtocolResult } from '../../../src/shared/protocol.js';
import type { SessionControlState } from '../../../src/shared/sessionControlStateSchema.js';
import { createFakeHost, type FakeHost } from '../../utils/createFakeHost.js';
import { sampleControlState } from '../../utils/sampleControlState.js';
import type { BrowserApiServer } from '../../utils/startBrowserApiServer.js';
import { startRendererBrowser, type RendererBrowser, type RendererPage } from '../../utils/startRendererBrowser.js';

// The Live run view and the morning review's diffs as a person sees them: the built renderer in real
// Chromium over the browser API, with engine events pushed over server-sent events as `nightshift serve` does.

const SCREENSHOTS = fileURLToPath(new URL('../../../test-results/', import.meta.url));

const PYTHON_DIFF = `diff --git a/webshop/cart.py b/webshop/cart.py
--- a/webshop/cart.py
+++ b/webshop/cart.py
@@ -1,3 +1,7 @@
 def total(items):
-    return sum(item.price for item in items)
+    subtotal = sum(item.price for item in items)
+    if subtotal > 100:
+        return subtotal * 0.9
+    return subtotal
`;

/** The webshop session of the fake host, running its first task. */
const RUNNING = sampleControlState({
  projectPath: '/home/dev/webshop',
  overrides: {
    state: 'running',
    sessionId: 'p7x2mf',
    task: { index: 1, total: 2, taskRunId: 21, taskId: 'cart-total', title: 'Compute the cart total with discounts' },
  },
});

let renderer: RendererBrowser;
let host: FakeHost;
let control: SessionControlState[];
let opened: RendererPage;
let server: BrowserApiServer;
let page: Page;

beforeAll(async () => {
  renderer = await startRendererBrowser();
  mkdirSync(SCREENSHOTS, { recursive: true });
});

afterAll(async () => {
  await renderer?.close();
});

beforeEach(async () => {
  host = createFakeHost();
  control = [];
  // The fake host has canned records but no session supervisor or project list; those two answer here.
  const handle = async (name: ProtocolName, request: unknown): Promise<ProtocolResult<unknown>> => {
    if (name === 'session/control') return { ok: true, value: control };
    if (name === 'project/list') return { ok: true, value: [] };
    return host.handle(name, request);
  };
  opened = await renderer.openPage({ handle, viewport: { width: 1440, height: 1000 } });
  ({ page, server } = opened);
});

afterEach(async () => {
  await opened.close();
  expect(opened.pageErrors, 'errors in the page').toEqual([]);
  expect(host.rejected, 'requests the host rejected').toEqual([]);
});

async function openLiveRun(): Promise<void> {
  await page.goto(server.url);
  await page.getByRole('tab', { name: 'Live run' }).click();
  await server.waitForEventClients();
}

function push(...events: EngineEvent[]): void {
  for (const event of events) server.push(event);
}

function phaseState(step: string): Promise<string | null> {
  return page.locator(`[aria-label="Phases"] [data-step="${step}"]`).getAttribute('data-state');
}

describe('live run view in Chromium', () => {
  it('joins the running session, then shows phases, rails, model output and the diff as events arrive', async () => {
    control = [RUNNING];
    await openLiveRun();
    const live = page.getByRole('article', { name: 'Live run' });
    await expect.poll(() => live.locator('[data-field="task-position"]').textContent()).toContain('Task 1 of 2');
    expect(await live.textContent()).toContain('Compute the cart total with discounts');
    expect(await live.textContent()).toContain('nightshift/p7x2mf');
    // The records say attempt 1 planned, wrote its test and code, and passed the gates.
    expect(await phaseState('gates')).toBe('ok');
    expect(await phaseState('review')).toBe('pending');

    const now = Date.now();
    push(
      { type: 'attempt/decided', at: now, taskRunId: 21, attempt: 1, decision: 'RETRY', failureType: 'review', reason: 'review failure; retrying with the feedback' },
      { type: 'attempt/started', at: now, taskRunId: 21, attempt: 2, maxAttempts: 3 },
      { type: 'phase/started', at: now, taskRunId: 21, attempt: 2, phase: 'green' },
    );
    await expect.poll(() => phaseState('green')).toBe('running');
    expect(await live.locator('[data-field="attempt"]').textContent()).toBe('Attempt 2 of 3');
    expect(await page.locator('[aria-label="Phases"] [data-step="plan"]').textContent()).toContain('kept from earlier attempt');
    expect(await page.getByRole('list', { name: 'Attempt outcomes' }).textContent()).toContain('RETRY');

    push(
      { type: 'model/token', at: now + 1, taskRunId: 21, role: 'coder', text: 'def total(items):\n' },
      { type: 'model/token', at: now + 2, taskRunId: 21, role: 'coder', text: '    subtotal = sum(' },
    );
    const output = page.locator('pre[data-role="coder"]');
    await expect.poll(() => output.textContent()).toBe('def total(items):\n    subtotal = sum(');

    push(
      { type: 'phase/finished', at: now + 3_000, taskRunId: 21, attempt: 2, phase: 'green', ok: true, detail: 'code written' },
      { type: 'attempt/diff', at: now + 3_000, taskRunId: 21, attempt: 2, diff: PYTHON_DIFF },
      { type: 'phase/started', at: now + 3_000, taskRunId: 21, attempt: 2, phase: 'gates' },
      { type: 'rail/result', at: now + 3_100, taskRunId: 21, attempt: 2, rail: { name: 'syntax', passed: true, detail: '1 file parses', durationMs: 40 } },
    );
    await expect.poll(() => phaseState('gates')).toBe('running');
    const rails = page.getByRole('table', { name: 'Rails' });
    await expect.poll(() => rails.locator('tr').count()).toBe(1);
    expect(await rails.locator('tr[data-rail="syntax"] .verdict').textContent()).toBe('passed');

    // The diff is drawn by diff2html with its added and removed lines, and highlighted as Python.
    const diff = page.getByRole('region', { name: 'Diff of attempt 2' });
    await expect.poll(() => diff.locator('tr:has(.d2h-ins)').count()).toBe(4);
    expect(await diff.locator('tr:has(.d2h-del)').count()).toBe(1);
    expect(await diff.locator('.d2h-file-name').textContent()).toContain('webshop/cart.py');
    expect(await diff.locator('.hljs-keyword').allTextContents()).toEqual(expect.arrayContaining(['def', 'return', 'if']));

    push(
      { type: 'command/finished', at: now + 9_000, taskRunId: 21, attempt: 2, label: 'bite:without-code', command: 'pytest -q tests/test_cart.py', durationMs: 2_400, outcome: 'exited', exitCode: 1 },
      { type: 'rail/result', at: now + 9_000, taskRunId: 21, attempt: 2, rail: { name: 'bite', passed: false, detail: 'the new test already passed before the change', failureType: 'bite', file: 'tests/test_cart.py', durationMs: 5_100 } },
      { type: 'phase/finished', at: now + 9_000, taskRunId: 21, attempt: 2, phase: 'gates', ok: false, detail: 'bite failed' },
      { type: 'rail/result', at: now + 9_000, taskRunId: 21, attempt: 2, rail: { name: 'suite', passed: false, skipped: true, detail: 'skipped: bite failed' } },
    );
    await expect.poll(() => rails.locator('tr').count()).toBe(3);
    expect(await rails.locator('tr .verdict').allTextContents()).toEqual(['passed', 'failed', 'skipped']);
    expect(await rails.locator('tr[data-rail="bite"]').textContent()).toContain('5.1 s');
    await expect.poll(() => phaseState('gates')).toBe('failed');
    expect(await page.getByRole('table', { name: 'Commands' }).textContent()).toContain('bite:without-code');

    await page.screenshot({ path: join(SCREENSHOTS, 'live-run.png'), fullPage: true });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: join(SCREENSHOTS, 'live-run-dark.png'), fullPage: true });
  });

  it('follows the model output until the reader scrolls up, and again when asked', async () => {
    await openLiveRun();
    const now = Date.now();
    push(
      { type: 'session/started', at: now, sessionId: 'p7x2mf', projectPath: '/home/dev/webshop', branch: 'nightshift/p7x2mf', taskCount: 2, resumed: false, sandbox: 'docker', isolated: true },
      { type: 'task/started', at: now, sessionId: 'p7x2mf', taskRunId: 21, taskId: 'cart-total', title: 'Compute the cart total with discounts' },
    );
    const lines = (from: number) => Array.from({ length: 40 }, (_, index) => `line ${from + index}\n`).join('');
    push({ type: 'model/token', at: now, taskRunId: 21, role: 'brain', text: lines(0) });
    const output = page.locator('pre[data-role="brain"]');
    const gapToBottom = () => output.evaluate((box) => box.scrollHeight - box.scrollTop - box.clientHeight);
    await expect.poll(() => output.textContent()).toContain('line 39');
    await expect.poll(gapToBottom).toBeLessThan(2);

    await output.evaluate((box) => box.scrollTo({ top: 0 }));
    const follow = page.getByRole('button', { name: 'Follow output' });
    await expect.poll(() => follow.count()).toBe(1);
    push({ type: 'model/token', at: now + 1, taskRunId: 21, role: 'brain', text: lines(40) });
    await expect.poll(() => output.textContent()).toContain('line 79');
    expect(await output.evaluate((box) => box.scrollTop)).toBe(0);

    await follow.click();
    push({ type: 'model/token', at: now + 2, taskRunId: 21, role: 'brain', text: lines(80) });
    await expect.poll(() => output.textContent()).toContain('line 119');
    await expect.poll(gapToBottom).toBeLessThan(2);
    expect(await follow.count()).toBe(0);
  });

  it('tells a new user what to do when nothing runs, and shows a crashed engine as notices, not a dead window', async () => {
    await openLiveRun();
    const live = page.getByRole('article', { name: 'Live run' });
    await expect.poll(() => live.textContent()).toContain('No session is running. Start one from');
    await page.screenshot({ path: join(SCREENSHOTS, 'live-run-empty.png') });

    const now = Date.now();
    push(
      { type: 'session/started', at: now, sessionId: 'p7x2mf', projectPath: '/home/dev/webshop', branch: 'nightshift/p7x2mf', taskCount: 2, resumed: false, sandbox: 'docker', isolated: true },
      { type: 'task/started', at: now, sessionId: 'p7x2mf', taskRunId: 21, taskId: 'cart-total', title: 'Compute the cart total with discounts' },
      { type: 'attempt/started', at: now, taskRunId: 21, attempt: 1, maxAttempts: 3 },
      { type: 'phase/started', at: now, taskRunId: 21, attempt: 1, phase: 'plan' },
      { type: 'process/crashed', at: now + 10, process: 'engine', sessionId: 'p7x2mf', exitCode: null, signal: 'SIGKILL', detail: 'engine process killed', restarting: true },
    );
    const notices = page.getByRole('list', { name: 'Process notices' });
    await expect.poll(() => notices.locator('li').count()).toBe(1);
    expect(await notices.textContent()).toContain('The engine process stopped unexpectedly (SIGKILL); restarting it.');
    expect(await live.locator('[data-field="task-position"]').textContent()).toContain('Task 1 of 2');

    push(
      { type: 'process/restarted', at: now + 2_000, process: 'engine', sessionId: 'p7x2mf' },
      { type: 'session/started', at: now + 2_100, sessionId: 'p7x2mf', projectPath: '/home/dev/webshop', branch: 'nightshift/p7x2mf', taskCount: 2, resumed: true, sandbox: 'docker', isolated: true },
      { type: 'task/started', at: now + 2_200, sessionId: 'p7x2mf', taskRunId: 21, taskId: 'cart-total', title: 'Compute the cart total with discounts' },
      { type: 'attempt/started', at: now + 2_200, taskRunId: 21, attempt: 1, maxAttempts: 3 },
      { type: 'phase/started', at: now + 2_300, taskRunId: 21, attempt: 1, phase: 'plan' },
    );
    await expect.poll(() => notices.locator('li').count()).toBe(2);
    expect(await notices.locator('li').nth(1).textContent()).toContain('The engine process is back');
    await expect.poll(() => phaseState('plan')).toBe('running');
    await page.screenshot({ path: join(SCREENSHOTS, 'live-run-crash.png') });
  });
});

describe('diffs in the morning review', () => {
  it('shows a delivered task’s commit next to its attempt’s diff, collapsed until opened', async () => {
    await page.goto(server.url);
    await page.getByRole('tab', { name: 'Review' }).click();
    await page.locator('[data-session-id="k3v9qa"]').click();
    await page.locator('[data-task-run-id="11"]').click();
    const attempt = page.getByRole('article', { name: 'Task explanation' }).getByRole('region', { name: 'Attempt 1' });
    const details = attempt.locator('details.diff');
    await expect.poll(() => details.count()).toBe(1);
    expect(await details.getAttribute('open')).toBeNull();
    expect(await attempt.locator('.d2h-ins').count()).toBe(0);
    expect(await details.locator('summary').textContent()).toContain('4 changed lines');

    await details.locator('summary').click();
    const diff = attempt.getByRole('region', { name: 'Diff of attempt 1' });
    await expect.poll(() => diff.locator('tr:has(.d2h-ins)').count()).toBe(4);
    expect(await diff.locator('.hljs-keyword').allTextContents()).toContain('def');
    expect(await details.textContent()).toContain('7c1d2e3f4a');
    expect(await details.getByRole('button', { name: 'Copy commit hash 7c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d' }).count()).toBe(1);
    await page.screenshot({ path: join(SCREENSHOTS, 'review-diff.png') });

    // The escalated task's attempts wrote no change the fake host kept: no diff to open.
    await page.locator('[data-task-run-id="12"]').click();
    await expect.poll(() => page.getByRole('article', { name: 'Task explanation' }).getByRole('region', { name: 'Attempt 2' }).count()).toBe(1);
    expect(await page.locator('details.diff').count()).toBe(0);
  });
});
