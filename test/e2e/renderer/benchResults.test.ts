import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createBenchRunStore } from '../../../src/bench/createBenchRunStore.js';
import type { BenchRunRecord } from '../../../src/bench/createBenchRunStore.js';
import { createMainHost } from '../../../src/host/createMainHost.js';
import { BAD_RUN, knownBenchRuns, LOCAL_RUN } from '../../utils/knownBenchRuns.js';
import { makeTempDir } from '../../utils/makeTempDir.js';
import { startRendererBrowser, type RendererBrowser, type RendererPage } from '../../utils/startRendererBrowser.js';

// The Metrics view's Benchmarks section as a person uses it: the built renderer in real Chromium over the browser
// API, answered by the real host over a database holding runs stored as `nightshift bench run` stores them.

const SCREENSHOTS = fileURLToPath(new URL('../../../test-results/', import.meta.url));

let renderer: RendererBrowser;

beforeAll(async () => {
  renderer = await startRendererBrowser();
});

afterAll(async () => {
  await renderer?.close();
});

async function openMetrics(records: BenchRunRecord[]): Promise<{ page: Page; section: Locator; opened: RendererPage; unexpected: string[] }> {
  const dataDir = makeTempDir('nightshift-bench-view-');
  const store = createBenchRunStore({ dbPath: join(dataDir, 'nightshift.db') });
  for (const record of records) store.save(record);
  store.dispose();
  const unexpected: string[] = [];
  const host = createMainHost({ dataDir, onUnexpectedError: (error, name) => unexpected.push(`${name}: ${String(error)}`) });
  onTestFinished(() => host.dispose());
  const opened = await renderer.openPage({ handle: (name, request) => host.handle(name, request), viewport: { width: 1440, height: 1400 } });
  onTestFinished(() => opened.close());
  await opened.page.goto(opened.server.url);
  await opened.page.getByRole('tab', { name: 'Metrics' }).click();
  const section = opened.page.locator('[data-view="metrics"] [data-bench]');
  await section.locator('[data-bench-ready]').waitFor({ state: 'attached' });
  return { page: opened.page, section, opened, unexpected };
}

/** The cells of a table's body, row by row. */
function cells(table: Locator): Promise<string[][]> {
  return table.locator('tbody tr').evaluateAll((rows) => rows.map((row) => Array.from(row.querySelectorAll('td'), (cell) => cell.textContent?.trim() ?? '')));
}

describe('Benchmarks in the Metrics view', () => {
  it('lists the stored runs, draws hidden tests passed per level, shows false GOs in red and compares two runs', async () => {
    const { page, section, opened, unexpected } = await openMetrics(knownBenchRuns);

    const runs = section.getByRole('table', { name: 'Benchmark runs' });
    expect((await cells(runs)).map((row) => [row[0], row[2], row[3], row[4], row[5], row[6], row[7], row[8]])).toEqual([
      [LOCAL_RUN, 'local', 'on', 'L2, L3', '3', 'rails on 94/97', '1', '–'],
      [BAD_RUN, 'scripted:{level}/answers/bad.json', 'on + off', 'L2, L3, L5', '1', 'rails on 7/153, rails off 30/97', '0', '7'],
    ]);

    // The newest run is shown: its one false GO with the rails on is a harness defect, in red.
    const levels = section.getByRole('table', { name: 'Benchmark levels' });
    expect((await cells(levels)).map((row) => [row[0], row[2], row[3], row[7]])).toEqual([
      ['L2', '4 (3..4)/4', '70 (60..70)/70', '0'],
      ['L3', '3 (2..4)/4', '24 (20..26)/27', '1 (0..1)'],
    ]);
    const defect = section.locator('[data-false-go-defect]');
    expect(await defect.innerText()).toMatch(/False GO with the rails on:\s+L3 \(1 \(0\.\.1\)\)[\s\S]*harness defect/);
    const red = await section.locator('td[data-false-go]').evaluateAll((tds) => tds.map((td) => getComputedStyle(td).color));
    expect(red[0]).not.toBe(red[1]);
    expect(red[1]).toBe(await section.evaluate((element) => {
      const probe = document.createElement('span');
      probe.style.color = 'var(--tone-err)';
      element.append(probe);
      const color = getComputedStyle(probe).color;
      probe.remove();
      return color;
    }));

    const chart = section.locator('[data-chart="bench-hidden-passed"]');
    await expect.poll(() => chart.locator('canvas').evaluate((canvas) => (canvas as HTMLCanvasElement).width > 0 && (canvas as HTMLCanvasElement).height > 0)).toBe(true);

    // The bad run: rails on beside rails off per level, the uplift, the environment error.
    await runs.getByRole('button', { name: BAD_RUN }).click();
    await expect.poll(() => section.locator('[data-false-go-defect]').count()).toBe(0);
    expect(await section.getByRole('list', { name: 'Rails uplift' }).innerText()).toMatch(/L2: hidden tests passed -14, tasks committed -3, false GOs prevented 3/);
    expect(await levels.innerText()).toContain('Environment error (not a model failure): The sandbox cannot get the Debian package python3-flask.');
    await chart.getByRole('button', { name: 'Table' }).click();
    expect(await cells(chart.getByRole('table'))).toEqual([
      ['L2', 'on', '7', '70', '10', '0'],
      ['L2', 'off', '21', '70', '30', '3'],
      ['L3', 'on', '0', '27', '0', '0'],
      ['L3', 'off', '9', '27', '33.3', '4'],
      ['L5', 'on', '0', '56', '0', '0'],
    ]);
    const [csv] = await Promise.all([page.waitForEvent('download'), chart.getByRole('button', { name: /^CSV of Hidden tests passed/ }).click()]);
    expect(csv.suggestedFilename()).toBe('nightshift-bench-hidden-passed.csv');
    expect(readFileSync((await csv.path())!, 'utf8').split('\r\n').slice(0, 3)).toEqual(['Level,Rails,Hidden passed,Hidden total,Passed %,False GO', 'L2,on,7,70,10,0', 'L2,off,21,70,30,3']);
    await chart.getByRole('button', { name: 'Chart' }).click();
    await expect.poll(() => chart.locator('canvas').count()).toBe(1);

    // The newest two compared by default: A the older, B the newer.
    const form = section.getByRole('form', { name: 'Compare benchmark runs' });
    expect(await form.getByRole('combobox', { name: 'Run A' }).inputValue()).toBe(BAD_RUN);
    expect(await form.getByRole('combobox', { name: 'Run B' }).inputValue()).toBe(LOCAL_RUN);
    await form.getByRole('button', { name: 'Compare' }).click();
    const compared = section.locator('[data-chart="bench-compare"]');
    const table = compared.getByRole('table');
    await table.waitFor();
    const rows = await cells(table);
    expect(rows).toHaveLength(18);
    expect(rows).toContainEqual(['L2', 'on', 'Hidden tests passed', '7', '70', '+63']);
    expect(rows).toContainEqual(['L3', 'on', 'False GO', '0', '1', '+1']);
    expect(await section.locator('[data-unmatched]').innerText()).toBe('Not in both runs: L2 rails off (A only), L3 rails off (A only), L5 rails on (A only).');
    // Back to the newest run for the picture: its false GO in red beside the comparison.
    await runs.getByRole('button', { name: LOCAL_RUN }).click();
    await defect.waitFor();
    mkdirSync(SCREENSHOTS, { recursive: true });
    await section.screenshot({ path: join(SCREENSHOTS, 'bench-results.png') });

    expect(await section.getByRole('alert').count()).toBe(0);
    expect(opened.pageErrors).toEqual([]);
    expect(unexpected).toEqual([]);
  });

  it('says no benchmark has been run and shows the command', async () => {
    const { section, opened, unexpected } = await openMetrics([]);
    const empty = section.locator('[data-bench-empty]');
    expect(await empty.innerText()).toMatch(/No benchmark has been run yet[\s\S]*nightshift bench run --models local/);
    expect(await empty.getByRole('button', { name: 'Copy the bench command' }).count()).toBe(1);
    expect(await section.getByRole('table').count()).toBe(0);
    expect(await section.locator('canvas').count()).toBe(0);
    expect(opened.pageErrors).toEqual([]);
    expect(unexpected).toEqual([]);
  });
});
