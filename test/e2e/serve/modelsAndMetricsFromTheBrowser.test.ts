import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPythonFixture } from '../../fixtures/createPythonFixture.js';
import { createTinyGguf } from '../../fixtures/createTinyGguf.js';
import { buildRenderer } from '../../utils/buildRenderer.js';
import { closedLocalPort } from '../../utils/closedLocalPort.js';
import { findTestDocker } from '../../utils/findTestDocker.js';
import { launchChromium } from '../../utils/launchChromium.js';
import { CLI_BIN, runCli } from '../../utils/runCli.js';

// Tuning the models and reading the nights from the browser, against the real `nightshift serve` (the
// compiled CLI) on a Mac simulated by NIGHTSHIFT_SIMULATE_MEMORY_GB: the profile editor's live fit, a
// generated GGUF imported, loaded by the app's model host (real llama.cpp on CPU) and tried, then a
// scripted session whose night Metrics and History show.

const SCREENSHOTS = fileURLToPath(new URL('../../../test-results/', import.meta.url));

const BACKLOG = `# Calculator backlog

## T1: Add a divide function
Create \`divide(a, b)\` in calc/divide.py that returns a / b and raises ValueError when b is 0.
Files: calc/divide.py, tests/test_divide.py

## T3: Add a percent function
Create percent(part, whole) in calc/percent.py that returns part / whole * 100.
Files: calc/percent.py, tests/test_percent.py
`;

let root: string;
let dataDir: string;
let repoDir: string;
let scriptPath: string;
let gguf: string;
let serve: ChildProcessWithoutNullStreams;
let serveOutput = '';
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'nightshift-models-browser-'));
  dataDir = join(root, 'data');
  ({ repoDir, scriptPath } = createPythonFixture({ parent: root }));
  gguf = createTinyGguf({ path: join(root, 'tiny-chat.gguf'), name: 'tiny-chat' }).path;
  const rendererDir = join(root, 'renderer');
  await buildRenderer({ outDir: rendererDir });
  serve = spawn(process.execPath, [CLI_BIN, 'serve', '--port', '0', '--data-dir', dataDir, '--renderer-dir', rendererDir], {
    stdio: ['pipe', 'pipe', 'pipe'],
    // A 32 GB Mac, and a download source that refuses connections: this machine has no model downloads.
    env: { ...process.env, NIGHTSHIFT_SIMULATE_MEMORY_GB: '32', HF_ENDPOINT: `http://127.0.0.1:${await closedLocalPort()}` },
  });
  serve.stderr.setEncoding('utf8').on('data', (text: string) => (serveOutput += text));
  const url = await new Promise<string>((resolve, reject) => {
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
  page = await browser.newPage({ viewport: { width: 1440, height: 1600 } });
  page.on('pageerror', (error) => pageErrors.push(error.message));
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

async function screenshot(name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `serve-${name}.png`), fullPage: true });
}

describe('models and metrics from the browser against nightshift serve', () => {
  it('edits the profile to must-swap and saves it for the next session, imports, loads and tries a GGUF, and sees a night in Metrics and History', async () => {
    await page.getByLabel('Project', { exact: true }).fill(repoDir);
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    await expect.poll(() => page.getByRole('main', { name: 'Projects' }).textContent(), { timeout: 60_000 }).toContain('pytest');

    // Models: the simulated machine's tier, the coder's context raised until the set must swap.
    await page.getByRole('tab', { name: 'Models' }).click();
    const models = page.locator('[data-view="models"]');
    await models.locator('[data-ready]').waitFor({ state: 'attached', timeout: 60_000 });
    expect(await models.locator('[data-tier]').innerText()).toContain('32 GB');
    const setBar = models.locator('[data-fit="set"]');
    expect(await setBar.getAttribute('data-verdict')).toBe('fits');
    const suggestion = models.locator('[data-suggestion]');
    const fitting = await suggestion.innerText();
    await page.locator('#models-coder-model').selectOption('qwen2.5-coder-7b-q4km');
    for (const contextSize of [16384, 24576, 32768]) {
      await page.locator('#models-coder-contextSize').fill(String(contextSize));
      await models.locator(`[data-fit="set"][data-plan*="coder:${contextSize}"]`).waitFor();
    }
    expect(await setBar.getAttribute('data-verdict')).toBe('must-swap');
    expect(await suggestion.innerText()).not.toBe(fitting);
    await models.getByLabel(/Every project/).check();
    await page.getByRole('button', { name: 'Save profile' }).click();
    expect(await models.locator('[data-saved]').innerText()).toContain(join(dataDir, 'models.json'));

    // The next session plans from the saved override: the CLI's plan over the same data directory says so.
    const planned = runCli({ args: ['models', 'plan', '--memory', '32GB', '--data-dir', dataDir, '--json'] });
    const plan = JSON.parse(planned.stdout) as { plan: { models: Array<{ modelId: string; roles: string[]; verdict: string; contexts: Array<{ role: string; requestedContext: number }> }> } };
    const coder = plan.plan.models.find((model) => model.roles.includes('coder'))!;
    expect(coder.modelId).toBe('qwen2.5-coder-7b-q4km');
    expect(coder.contexts.find((context) => context.role === 'coder')!.requestedContext).toBe(32768);
    expect(plan.plan.models.map((model) => model.verdict)).toContain('must-swap');
    await screenshot('models');

    // Model files: offline, so a generated GGUF is imported; it is listed.
    const files = models.locator('[data-model-files]');
    await files.locator('[data-offline]').waitFor({ timeout: 60_000 });
    const importForm = files.getByRole('form', { name: 'Import a GGUF' });
    await importForm.getByLabel('Path of the .gguf file').fill(gguf);
    await importForm.getByLabel('Copy into the model folder').check();
    await importForm.getByRole('button', { name: 'Import' }).click();
    const row = files.locator('[data-model-file="tiny-chat"]');
    await row.waitFor({ timeout: 60_000 });
    expect(await row.locator('[data-quantization]').innerText()).toBe('F32');

    // Residency: the GGUF loads in the app's model host and the try box streams from it.
    const residency = models.locator('[data-residency]');
    await residency.getByRole('textbox', { name: 'GGUF file', exact: true }).fill(gguf);
    await residency.getByRole('button', { name: 'Load', exact: true }).click();
    const loaded = residency.locator('[data-model-id="tiny-chat"]');
    await loaded.waitFor({ timeout: 180_000 });
    expect(await loaded.locator('[data-measured]').innerText()).toMatch(/^[\d.]+ (KiB|MiB)$/);
    await residency.getByLabel(/Try it/).fill('Name a colour.');
    await residency.getByLabel('Max tokens').fill('24');
    await residency.getByRole('button', { name: 'Run' }).click();
    const figures = residency.locator('[data-try-figures]');
    await figures.waitFor({ timeout: 180_000 });
    expect(await figures.locator('[data-tokens-per-second]').innerText()).toMatch(/tokens\/s$/);
    expect((await residency.locator('[data-try-output]').innerText()).length).toBeGreaterThan(0);
    await screenshot('models-residency');

    // Metrics before any night.
    await page.getByRole('tab', { name: 'Metrics' }).click();
    const metrics = page.locator('[data-view="metrics"]');
    await metrics.locator('[data-ready]').waitFor({ state: 'attached' });
    const before = await metrics.innerText();
    expect(before).not.toMatch(/1 committed/);

    // A scripted night: one task committed, one refused.
    await page.getByRole('tab', { name: 'Backlog' }).click();
    await page.getByLabel('Format').selectOption('tasks-md');
    await page.getByLabel('Document to import').fill(BACKLOG);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.locator('li[data-task-id="T3"]').waitFor();
    await page.getByRole('tab', { name: 'Projects' }).click();
    const start = page.getByRole('form', { name: 'Start a session' });
    await start.locator('summary').click();
    await start.getByLabel('Scripted answers (demos)').check();
    await start.getByLabel('Script file').fill(scriptPath);
    await start.getByLabel('Run commands in').selectOption((await findTestDocker()).docker ? 'docker' : 'native');
    await start.getByRole('button', { name: 'Start session' }).click();
    await page.locator('[aria-label="Session state"]:not([data-state="idle"])').waitFor({ timeout: 60_000 });
    await page.locator('[aria-label="Session state"][data-state="idle"]').waitFor({ timeout: 600_000 });

    // Metrics and History now show that night.
    await page.getByRole('tab', { name: 'Metrics' }).click();
    await metrics.locator('[data-ready]').waitFor({ state: 'attached' });
    const totals = metrics.locator('[aria-label="Metrics totals"]');
    await expect.poll(() => totals.innerText(), { timeout: 30_000 }).toMatch(/1 nights?\s+1 committed\s+1 refused/);
    await expect.poll(() => metrics.locator('canvas').count()).toBeGreaterThan(0);
    await screenshot('metrics');
    await page.getByRole('tab', { name: 'History' }).click();
    const history = page.locator('[data-view="history"]');
    await history.locator('[data-ready]').waitFor({ state: 'attached' });
    const runs = history.getByRole('table', { name: 'Task runs' }).locator('tbody tr');
    await expect.poll(() => runs.count(), { timeout: 30_000 }).toBe(2);
    expect(await history.getByRole('table', { name: 'Task runs' }).innerText()).toMatch(/T1[\s\S]*T3|T3[\s\S]*T1/);
    await screenshot('history');

    expect(JSON.parse(readFileSync(join(dataDir, 'models.json'), 'utf8'))).toMatchObject({ profiles: [{ id: 'mac-32gb' }] });
    expect(pageErrors).toEqual([]);
  }, 1_200_000);
});

