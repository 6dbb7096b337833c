import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createSqliteStore } from '../../../src/engine/store/createSqliteStore.js';
import { createMainHost } from '../../../src/host/createMainHost.js';
import { DAY, knownNights, NIGHT_1 } from '../../utils/knownNights.js';
import { makeTempDir } from '../../utils/makeTempDir.js';
import { seedMetricsHistory, type SeededSession } from '../../utils/seedMetricsHistory.js';
import { startRendererBrowser, type RendererBrowser, type RendererPage } from '../../utils/startRendererBrowser.js';

// The Metrics and History views as a person uses them: the built renderer in real Chromium over the browser
// API, answered by the real host over a data directory seeded with nights of known outcomes.

const SCREENSHOTS = fileURLToPath(new URL('../../../test-results/', import.meta.url));

/** The known nights plus a fourth of 30 first-attempt commits, so History has two pages of 25. */
const bulkNight: SeededSession = {
  id: 'night4',
  projectPath: '/repos/bulk',
  startedAt: NIGHT_1 + 3 * DAY,
  tasks: Array.from({ length: 30 }, (_, index) => ({ taskId: `B${index + 1}`, title: `Bulk task ${index + 1}`, status: 'done' as const, attempts: [{ decision: 'COMMIT' as const }] })),
};

let renderer: RendererBrowser;

beforeAll(async () => {
  renderer = await startRendererBrowser();
});

afterAll(async () => {
  await renderer?.close();
});

async function openSeeded(): Promise<{ page: Page; opened: RendererPage; unexpected: string[] }> {
  const dataDir = makeTempDir('nightshift-metrics-view-');
  const store = createSqliteStore({ path: join(dataDir, 'nightshift.db') });
  seedMetricsHistory({ store, sessions: [...knownNights, bulkNight] });
  store.dispose();
  const unexpected: string[] = [];
  const host = createMainHost({ dataDir, onUnexpectedError: (error, name) => unexpected.push(`${name}: ${String(error)}`) });
  onTestFinished(() => host.dispose());
  const opened = await renderer.openPage({ handle: (name, request) => host.handle(name, request), viewport: { width: 1440, height: 1400 } });
  onTestFinished(() => opened.close());
  await opened.page.goto(opened.server.url);
  return { page: opened.page, opened, unexpected };
}

/** The cells of a table's body, row by row. */
function cells(table: Locator): Promise<string[][]> {
  return table.locator('tbody tr').evaluateAll((rows) => rows.map((row) => Array.from(row.querySelectorAll('td'), (cell) => cell.textContent?.trim() ?? '')));
}

describe('Metrics and History views', () => {
  it('draws every chart, shows its numbers as a table and exports them as CSV', async () => {
    const { page, opened, unexpected } = await openSeeded();
    await page.getByRole('tab', { name: 'Metrics' }).click();
    const view = page.locator('[data-view="metrics"]');
    await view.locator('[data-ready]').waitFor({ state: 'attached' });

    // Nine charts drawn on canvases, the fingerprints as a table, and the note on what is not recorded.
    await expect.poll(() => view.locator('canvas').count()).toBe(9);
    const drawn = await view.locator('canvas').evaluateAll((canvases) => canvases.map((canvas) => (canvas as HTMLCanvasElement).width > 0 && (canvas as HTMLCanvasElement).height > 0));
    expect(drawn).toEqual(Array(9).fill(true));
    expect(await view.locator('[data-not-recorded]').innerText()).toMatch(/Not recorded in the database/);
    expect(await view.locator('[aria-label="Metrics totals"]').innerText()).toMatch(/4 nights\s+34 committed\s+3 refused/);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'metrics.png'), fullPage: true });

    const perNight = view.locator('[data-chart="committed-vs-refused"]');
    await perNight.getByRole('button', { name: 'Table' }).click();
    const nightRows = await cells(perNight.getByRole('table'));
    expect(nightRows.map((row) => row.slice(1))).toEqual([
      ['night1', '/repos/calc', '2', '1', '1'],
      ['night2', '/repos/calc', '1', '1', '0'],
      ['night3', '/repos/shop', '1', '1', '0'],
      ['night4', '/repos/bulk', '30', '0', '0'],
    ]);
    expect(await perNight.locator('canvas').count()).toBe(0);
    await perNight.getByRole('button', { name: 'Chart' }).click();
    await expect.poll(() => perNight.locator('canvas').count()).toBe(1);

    const fingerprints = view.locator('[data-chart="repeated-fingerprints"]');
    expect(await cells(fingerprints.getByRole('table'))).toEqual([['fp-a', 'patch', '2', '4', 'patch failure fp-a']]);

    const rails = view.locator('[data-chart="refusals-by-rail"]');
    const [download] = await Promise.all([page.waitForEvent('download'), rails.getByRole('button', { name: 'CSV of Refusals by rail' }).click()]);
    expect(download.suggestedFilename()).toBe('nightshift-refusals-by-rail.csv');
    expect(readFileSync((await download.path())!, 'utf8')).toBe('Rail,Refusals\r\nsuite,5\r\nscope,1\r\n');

    const phases = view.locator('[data-chart="phase-time"]');
    const [phaseCsv] = await Promise.all([page.waitForEvent('download'), phases.getByRole('button', { name: /^CSV/ }).click()]);
    // 41 attempts of 50 s: plan has 4 s of model time each, gates 6 s of tests.
    expect(readFileSync((await phaseCsv.path())!, 'utf8').split('\r\n').slice(0, 2)).toEqual(['Phase,Runs,Wall s,Model s,Commands s,Harness s', 'plan,41,410,164,0,246']);

    expect(opened.pageErrors).toEqual([]);
    expect(unexpected).toEqual([]);
  });

  it('searches, filters and pages History, and opens a task run’s explanation, diffs and audit record', async () => {
    const { page, opened, unexpected } = await openSeeded();
    await page.getByRole('tab', { name: 'History' }).click();
    const view = page.locator('[data-view="history"]');
    await view.locator('[data-ready]').waitFor({ state: 'attached' });
    const table = view.getByRole('table', { name: 'Task runs' });
    const total = view.locator('[data-total]');
    const pageLabel = view.locator('[data-page]');

    expect(await total.innerText()).toBe('38');
    expect(await table.locator('tbody tr').count()).toBe(25);
    expect(await pageLabel.innerText()).toBe('Page 1 of 2');
    // Newest night first: the bulk night's tasks in order.
    expect((await cells(table))[0]!.slice(1, 3)).toEqual(['B1', 'Bulk task 1']);
    await view.getByRole('button', { name: 'Next' }).click();
    await expect.poll(() => pageLabel.innerText()).toBe('Page 2 of 2');
    const second = await cells(table);
    expect(second.map((row) => row[1])).toEqual(['B26', 'B27', 'B28', 'B29', 'B30', 'S1', 'S2', 'T1', 'T5', 'T1', 'T2', 'T3', 'T4']);

    await view.getByRole('combobox', { name: 'Refused by rail' }).selectOption('suite');
    await expect.poll(() => total.innerText()).toBe('3');
    expect((await cells(table)).map((row) => [row[1], row[6]])).toEqual([['S1', 'suite'], ['T2', 'suite'], ['T3', 'suite']]);

    await view.getByRole('searchbox', { name: 'Search task runs' }).fill('roman');
    await view.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => total.innerText()).toBe('1');
    const [row] = await cells(table);
    expect(row!.slice(1, 8)).toEqual(['T3', 'Parse roman numerals', 'deadlocked', 'DEADLOCK', '3', 'suite', 'patch']);

    await table.getByRole('button', { name: 'Parse roman numerals' }).click();
    const explanation = view.getByRole('article', { name: 'Task explanation' });
    await explanation.waitFor();
    expect(await explanation.getByRole('region', { name: /^Attempt \d$/ }).count()).toBe(3);
    const audit = view.getByLabel('Audit record', { exact: true });
    await expect.poll(() => audit.innerText()).toContain('"decision": "DEADLOCK"');
    expect(await audit.innerText()).toContain('"taskId": "T3"');
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'history.png'), fullPage: true });

    await view.getByRole('button', { name: 'Clear' }).click();
    await expect.poll(() => total.innerText()).toBe('38');
    await view.getByRole('button', { name: 'Next' }).click();
    await expect.poll(() => pageLabel.innerText()).toBe('Page 2 of 2');
    await table.getByRole('button', { name: 'night2' }).first().click();
    await expect.poll(() => total.innerText()).toBe('2');
    expect((await cells(table)).map((each) => each[1])).toEqual(['T1', 'T5']);

    expect(await view.getByRole('alert').count()).toBe(0);
    expect(opened.pageErrors).toEqual([]);
    expect(unexpected).toEqual([]);
  });
});
