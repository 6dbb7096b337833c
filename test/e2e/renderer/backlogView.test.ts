import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createFakeHost, type FakeHost } from '../../utils/createFakeHost.js';
import { startRendererBrowser, type RendererBrowser, type RendererPage } from '../../utils/startRendererBrowser.js';

// The Backlog view as a person uses it: the built renderer in real Chromium, over the browser API, against
// the fake host whose backlog messages run the engine's own parsers and checks.

const SCREENSHOTS = fileURLToPath(new URL('../../../test-results/', import.meta.url));

const TASKS_MD = `# Tasks

## T1: Add a divide function

Add divide(a, b) to calculator/math.py; it raises ZeroDivisionError when b is 0.

Files: calculator/math.py

## T2: Handle division by zero in the CLI

Depends on: T1
Files: calculator/cli.py

## T3: Document the CLI exit codes

Files: README.md
`;

let renderer: RendererBrowser;
let host: FakeHost;
let opened: RendererPage;
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
  page = opened.page;
  await page.goto(opened.server.url);
});

afterEach(async () => {
  await opened.close();
  expect(opened.pageErrors, 'errors in the page').toEqual([]);
  expect(host.rejected, 'requests the host rejected').toEqual([]);
});

function taskIds(): Promise<string[]> {
  return page
    .getByRole('list', { name: 'Backlog tasks' })
    .locator('li[data-task-id]')
    .evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-task-id') ?? ''));
}

async function openBacklogOf(path: string): Promise<void> {
  await page.getByLabel('Project', { exact: true }).fill(path);
  await page.getByRole('button', { name: 'Open', exact: true }).click();
  await page.getByRole('tab', { name: 'Backlog' }).click();
}

describe('backlog view in Chromium', () => {
  it('asks for a project before there is a backlog to show', async () => {
    await page.getByRole('tab', { name: 'Backlog' }).click();
    expect(await page.getByRole('main', { name: 'Backlog' }).textContent()).toContain('Open a project');
    expect(host.requests.map((each) => each.name)).not.toContain('backlog/list');
  });

  it('imports, adds, refuses with the reason next to the field, reorders, deletes and exports', async () => {
    await openBacklogOf('/home/dev/calculator');
    const panel = page.getByRole('main', { name: 'Backlog' });
    await expect.poll(() => panel.textContent()).toContain('Import TASKS.md or add a task');
    expect(host.requests).toContainEqual({ name: 'backlog/list', request: { projectPath: '/home/dev/calculator' } });

    await page.getByLabel('Format').selectOption('tasks-md');
    await page.getByLabel('Document to import').fill(TASKS_MD);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await expect.poll(taskIds).toEqual(['T1', 'T2', 'T3']);
    const t2 = page.locator('li[data-task-id="T2"]');
    expect(await t2.locator('.deps').textContent()).toBe('T1');
    expect(await t2.locator('.files').textContent()).toBe('calculator/cli.py');

    const form = page.getByRole('form', { name: 'Add a task' });
    await form.getByLabel('Id').fill('T4');
    await form.getByLabel('Title').fill('Add a power function');
    await form.getByLabel('Depends on').fill('T1');
    await form.getByLabel('Target files').fill('calculator/math.py, tests/test_math.py');
    await form.getByRole('button', { name: 'Add task' }).click();
    await expect.poll(taskIds).toEqual(['T1', 'T2', 'T3', 'T4']);
    expect(await page.locator('li[data-task-id="T4"] .files').textContent()).toBe('calculator/math.py, tests/test_math.py');

    await form.getByLabel('Id').fill('T5');
    await form.getByRole('button', { name: 'Add task' }).click();
    const titleError = page.locator('#backlog-title-error');
    await expect.poll(() => titleError.textContent()).toBe('the title is empty');
    expect(await form.getByLabel('Title').getAttribute('aria-describedby')).toBe('backlog-title-error');
    expect(await form.getByLabel('Title').getAttribute('aria-invalid')).toBe('true');
    expect(await taskIds()).toEqual(['T1', 'T2', 'T3', 'T4']);

    await page.getByRole('button', { name: 'Edit T1' }).click();
    const editForm = page.getByRole('form', { name: 'Edit T1' });
    expect(await editForm.getByLabel('Title').inputValue()).toBe('Add a divide function');
    await expect.poll(() => titleError.count()).toBe(0);
    await editForm.getByLabel('Depends on').fill('T2');
    await editForm.getByRole('button', { name: 'Save task' }).click();
    const dependsError = page.locator('#backlog-dependsOn-error');
    await expect.poll(() => dependsError.textContent()).toContain('the dependencies form a cycle');
    expect(await dependsError.textContent()).toMatch(/T1 → T2 → T1|T2 → T1 → T2/);
    await editForm.getByRole('button', { name: 'Cancel edit' }).click();
    await expect.poll(() => dependsError.count()).toBe(0);

    await page.getByRole('button', { name: 'Move T3 up' }).click();
    await expect.poll(taskIds).toEqual(['T1', 'T3', 'T2', 'T4']);
    await page.getByRole('button', { name: 'Move T1 down' }).click();
    await expect.poll(taskIds).toEqual(['T3', 'T1', 'T2', 'T4']);
    expect(await page.getByRole('button', { name: 'Move T3 up' }).isDisabled()).toBe(true);

    await page.getByRole('button', { name: 'Delete T1' }).click();
    const alert = panel.getByRole('alert');
    await expect.poll(() => alert.textContent()).toContain('still depend');
    expect(await alert.textContent()).toContain('BACKLOG_TASK_INVALID');
    await page.getByRole('button', { name: 'Delete T2' }).click();
    await expect.poll(taskIds).toEqual(['T3', 'T1', 'T4']);
    expect(await alert.count()).toBe(0);

    await page.getByRole('button', { name: 'Export TASKS.md' }).click();
    const exported = page.getByLabel('Exported TASKS.md');
    await expect.poll(() => exported.textContent()).toContain('# Tasks');
    const text = (await exported.textContent()) ?? '';
    expect(text.indexOf('## T3: Document the CLI exit codes')).toBeLessThan(text.indexOf('## T1: Add a divide function'));
    expect(text.indexOf('## T1: Add a divide function')).toBeLessThan(text.indexOf('## T4: Add a power function'));
    expect(text).not.toContain('## T2');
    expect(text).toContain('## T4: Add a power function\n\nDepends on: T1\nFiles: calculator/math.py, tests/test_math.py\n');

    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'backlog-view.png') });
  });

  it('shows why a pasted document cannot be imported next to the import box', async () => {
    await openBacklogOf('/home/dev/calculator');
    await page.getByLabel('Document to import').fill('# Tasks\n\n## T1: One\n\nDepends on: T9\n');
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    const importError = page.locator('#backlog-import-error');
    await expect.poll(() => importError.textContent()).toContain('T9');
    expect(await page.getByLabel('Document to import').getAttribute('aria-invalid')).toBe('true');
  });
});
