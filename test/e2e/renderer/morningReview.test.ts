import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createFakeHost, type FakeHost } from '../../utils/createFakeHost.js';
import type { BrowserApiServer } from '../../utils/startBrowserApiServer.js';
import { startRendererBrowser, type RendererBrowser, type RendererPage } from '../../utils/startRendererBrowser.js';

// The renderer as a person uses it: built by Vite, served over the browser API from a fake host, and
// driven in real Chromium.

let renderer: RendererBrowser;
let host: FakeHost;
let opened: RendererPage;
let server: BrowserApiServer;
let page: Page;

beforeAll(async () => {
  renderer = await startRendererBrowser();
});

afterAll(async () => {
  await renderer?.close();
});

beforeEach(async () => {
  host = createFakeHost();
  opened = await renderer.openPage({ handle: (name, request) => host.handle(name, request) });
  ({ page, server } = opened);
  await page.goto(server.url);
  await page.getByRole('tab', { name: 'Review' }).click();
});

// Every test also proves the page raised no errors and sent only requests that pass the protocol's schemas.
afterEach(async () => {
  await opened.close();
  expect(opened.pageErrors, 'errors in the page').toEqual([]);
  expect(host.rejected, 'requests the host rejected').toEqual([]);
});

describe('morning review in Chromium', () => {
  it('lists the sessions with status, branch, project and task counts', async () => {
    const sessions = page.getByRole('list', { name: 'Sessions' }).getByRole('button');
    await expect.poll(() => sessions.count()).toBe(2);
    // Newest first: the running webshop session started after the finished calculator one.
    const first = sessions.nth(0);
    await expect.poll(() => first.textContent()).toContain('nightshift/p7x2mf');
    expect(await first.locator('[data-status]').getAttribute('data-status')).toBe('running');
    expect(await first.textContent()).toContain('webshop');
    const second = sessions.nth(1);
    expect(await second.locator('[data-status]').getAttribute('data-status')).toBe('completed');
    const text = await second.textContent();
    expect(text).toContain('calculator');
    expect(text).toContain('1 done');
    expect(text).toContain('1 escalated');
    expect(text).toContain('1 skipped');
    expect(host.requests.map((each) => each.name)).toContain('session/list');
  });

  it('shows a session’s tasks with their statuses and reasons when it is clicked', async () => {
    await page.locator('[data-session-id="k3v9qa"]').click();
    const tasks = page.getByRole('list', { name: 'Tasks' }).getByRole('button');
    await expect.poll(() => tasks.count()).toBe(3);
    const statuses = await tasks.locator('[data-status]').evaluateAll((nodes) =>
      nodes.map((node) => node.getAttribute('data-status')),
    );
    expect(statuses).toEqual(['done', 'escalated', 'skipped']);
    expect(await tasks.nth(1).textContent()).toContain('The new test kept passing before the change');
    const header = await page.locator('header.summary').textContent();
    expect(header).toContain('not isolated');
    expect(header).toContain('qwen2.5-coder:14b');
    expect(await page.locator('[data-session-id="k3v9qa"]').getAttribute('aria-current')).toBe('true');
    expect(host.requests).toContainEqual({ name: 'session/get', request: { id: 'k3v9qa' } });
  });

  it('explains a task attempt by attempt, with each rail passed, failed or skipped', async () => {
    await page.locator('[data-session-id="k3v9qa"]').click();
    await page.locator('[data-task-run-id="12"]').click();
    const explanation = page.getByRole('article', { name: 'Task explanation' });
    await expect.poll(() => explanation.getByRole('region').count()).toBe(2);

    const first = page.getByRole('table', { name: 'Rails, attempt 1' });
    expect(await first.locator('tr[data-rail="bite"] .verdict').textContent()).toBe('failed');
    expect(await first.locator('tr[data-rail="suite"] .verdict').textContent()).toBe('skipped');
    expect(await first.locator('tr[data-rail="lint"] .verdict').textContent()).toBe('passed');
    expect(await first.locator('tr[data-rail="bite"]').textContent()).toContain('the new test already passed');
    expect(await explanation.getByRole('region', { name: 'Attempt 1' }).textContent()).toContain('RETRY');
    expect(await explanation.getByRole('region', { name: 'Attempt 2' }).textContent()).toContain('ESCALATE');
    expect(host.requests).toContainEqual({ name: 'task/explain', request: { taskRunId: 12 } });
  });

  it('appends events pushed over server-sent events to the live log', async () => {
    await server.waitForEventClients();
    const log = page.getByRole('log');
    server.push({ type: 'task/started', at: Date.now(), sessionId: 'p7x2mf', taskRunId: 22, taskId: 'cart-tax', title: 'Add VAT to the cart total' });
    server.push({ type: 'model/token', at: Date.now(), taskRunId: 22, role: 'coder', text: 'export function ' });
    server.push({ type: 'model/token', at: Date.now(), taskRunId: 22, role: 'coder', text: 'addVat(total)' });
    server.push({
      type: 'rail/result',
      at: Date.now(),
      taskRunId: 22,
      attempt: 1,
      rail: { name: 'typecheck', passed: false, detail: "src/cart.ts(3,7): error TS2322: Type 'string' is not assignable", failureType: 'patch' },
    });
    await expect.poll(() => log.locator('li').count()).toBe(3);
    const lines = await log.locator('li .text').allTextContents();
    expect(lines[0]).toBe('Task cart-tax started: Add VAT to the cart total');
    expect(lines[1]).toBe('#22 coder: export function addVat(total)');
    expect(lines[2]).toContain('#22 rail typecheck failed: src/cart.ts(3,7)');
    expect(await log.locator('li').nth(2).getAttribute('class')).toContain('level-warn');
  });

  it('reports a host failure with its hint instead of failing silently', async () => {
    await page.getByLabel('Project').fill('/home/dev/not-a-repo');
    await page.getByRole('button', { name: 'Open' }).click();
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.textContent()).toContain('/home/dev/not-a-repo is not a git repository');
    expect(await alert.textContent()).toContain('PROJECT_PATH_INVALID');
  });

  it('narrows the list to one project when it is opened', async () => {
    await page.getByLabel('Project').fill('/home/dev/calculator');
    await page.getByRole('button', { name: 'Open' }).click();
    const sessions = page.getByRole('list', { name: 'Sessions' }).getByRole('button');
    await expect.poll(() => sessions.count()).toBe(1);
    expect(await sessions.first().textContent()).toContain('nightshift/k3v9qa');
    expect(host.requests).toContainEqual({ name: 'session/list', request: { projectPath: '/home/dev/calculator' } });
  });

  it('looks right (screenshot for review at /tmp/nightshift-ui.png)', async () => {
    await page.locator('[data-session-id="k3v9qa"]').click();
    await page.locator('[data-task-run-id="12"]').click();
    await page.getByRole('table', { name: 'Rails, attempt 1' }).waitFor();
    await server.waitForEventClients();
    server.push({ type: 'session/started', at: Date.now(), sessionId: 'p7x2mf', projectPath: '/home/dev/webshop', branch: 'nightshift/p7x2mf', taskCount: 2, resumed: false, sandbox: 'docker', isolated: true });
    server.push({ type: 'attempt/decided', at: Date.now(), taskRunId: 21, attempt: 1, decision: 'COMMIT', reason: 'all rails passed, reviewer GO' });
    await expect.poll(() => page.getByRole('log').locator('li').count()).toBe(2);
    await page.screenshot({ path: '/tmp/nightshift-ui.png' });
  });
});
