import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createMainHost } from '../../../src/host/createMainHost.js';
import { simulateAppleSiliconMachine } from '../../../src/runtime/placement/simulateAppleSiliconMachine.js';
import { makeTempDir } from '../../utils/makeTempDir.js';
import { startRendererBrowser, type RendererBrowser } from '../../utils/startRendererBrowser.js';

// The Models view as a person uses it: the built renderer in real Chromium over the browser API, answered by
// the real host over a temporary data directory, planning for a simulated 32 GB Mac.

const SCREENSHOTS = fileURLToPath(new URL('../../../test-results/', import.meta.url));
const GIB = 1024 ** 3;

let renderer: RendererBrowser;

beforeAll(async () => {
  renderer = await startRendererBrowser();
});

afterAll(async () => {
  await renderer?.close();
});

function machineOf(memoryGb: number) {
  const simulated = simulateAppleSiliconMachine({ memoryBytes: memoryGb * GIB });
  return { totalMemoryBytes: simulated.totalMemoryBytes, metalWorkingSetBytes: simulated.metalWorkingSetBytes!, chip: 'Apple M2 Pro' };
}

describe('Models view', () => {
  it('re-plans the profile as the coder context grows until it must swap, refuses a too-small context in place, and saves', async () => {
    const dataDir = makeTempDir('nightshift-models-view-');
    const unexpected: string[] = [];
    const host = createMainHost({ dataDir, machine: machineOf(32), onUnexpectedError: (error, name) => unexpected.push(`${name}: ${String(error)}`) });
    onTestFinished(() => host.dispose());
    const opened = await renderer.openPage({ handle: (name, request) => host.handle(name, request), viewport: { width: 1440, height: 1300 } });
    onTestFinished(() => opened.close());
    const { page, server } = opened;
    await page.goto(server.url);

    await page.getByRole('tab', { name: 'Models' }).click();
    const view = page.locator('[data-view="models"]');
    await view.locator('[data-ready]').waitFor({ state: 'attached' });
    const machine = view.locator('[data-machine]');
    await expect.poll(() => machine.innerText()).toMatch(/Apple M2 Pro \(simulated\)/);
    expect(await machine.innerText()).toMatch(/Unified memory\s+32\.0 GiB/);
    expect(await view.locator('[data-budget]').innerText()).toMatch(/21\.3 GiB\s+Metal’s recommended working set/);
    expect(await view.locator('[data-tier]').innerText()).toBe('32 GB (mac-32gb)');

    const setBar = view.locator('[data-fit="set"]');
    const suggestion = view.locator('[data-suggestion]');
    expect(await setBar.getAttribute('data-verdict')).toBe('fits');
    const fittingSuggestion = await suggestion.innerText();
    expect(fittingSuggestion).toMatch(/^Everything fits/);
    expect(await view.locator('[data-fit="model"]').count()).toBe(3);

    // The coder gets its own model, then a longer context, step by step, until the brain's model is pushed out.
    await page.locator('#models-coder-model').selectOption('qwen2.5-coder-7b-q4km');
    const coderContext = page.locator('#models-coder-contextSize');
    const verdicts: string[] = [];
    for (const contextSize of [20480, 24576, 28672, 32768]) {
      await coderContext.fill(String(contextSize));
      await page.locator(`[data-fit="set"][data-plan*="coder:${contextSize}"]`).waitFor();
      verdicts.push((await setBar.getAttribute('data-verdict'))!);
      if (verdicts.at(-1) === 'must-swap') break;
    }
    expect(verdicts.at(-1)).toBe('must-swap');
    expect(verdicts[0]).toBe('fits');
    expect(await setBar.getAttribute('aria-label')).toMatch(/^Whole set: Must swap; Weights [\d.]+ GiB, KV cache/);
    expect(await view.locator('.chip[data-verdict="must-swap"]').innerText()).toBe('Must swap');
    const swappingSuggestion = await suggestion.innerText();
    expect(swappingSuggestion).not.toBe(fittingSuggestion);
    expect(swappingSuggestion).toMatch(/devstral-small-2507-q4km cannot stay resident beside the others/);
    expect(await view.locator('[data-fit="model"][data-model="devstral-small-2507-q4km"]').getAttribute('data-verdict')).toBe('must-swap');

    // Below the coder minimum: refused next to the field, the plan stays as it was.
    await coderContext.fill('8192');
    const refusal = view.locator('[data-field="coder.contextSize"]');
    await refusal.waitFor();
    expect(await refusal.innerText()).toBe('8192 is below the coder minimum of 16384 tokens');
    expect(await coderContext.getAttribute('aria-invalid')).toBe('true');
    expect(await setBar.getAttribute('data-verdict')).toBe('must-swap');

    // A bigger Mac keeps the same edits and fits them.
    await coderContext.fill('32768');
    await refusal.waitFor({ state: 'detached' });
    await page.locator('#models-what-if').selectOption('64');
    await expect.poll(() => setBar.getAttribute('data-verdict')).toBe('fits');
    await page.locator('#models-what-if').selectOption('');
    await expect.poll(() => setBar.getAttribute('data-verdict')).toBe('must-swap');

    await page.getByRole('button', { name: 'Save profile' }).click();
    const saved = view.locator('[data-saved]');
    await saved.waitFor();
    expect(await saved.innerText()).toContain(join(dataDir, 'models.json'));
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'models-view.png'), fullPage: true });

    // The next session's host reads the saved override: its plan of the tier is the edited profile.
    expect(JSON.parse(readFileSync(join(dataDir, 'models.json'), 'utf8'))).toMatchObject({
      profiles: [{ id: 'mac-32gb', roles: { coder: { model: 'qwen2.5-coder-7b-q4km', contextSize: 32768 } } }],
    });
    const next = createMainHost({ dataDir, machine: machineOf(32) });
    onTestFinished(() => next.dispose());
    const nextPlan = await next.handle('models/plan', {});
    expect(nextPlan.ok && nextPlan.value.profile.roles.coder).toMatchObject({ model: 'qwen2.5-coder-7b-q4km', contextSize: 32768 });
    expect(nextPlan.ok && nextPlan.value.verdict).toBe('must-swap');
    expect(opened.pageErrors).toEqual([]);
    expect(unexpected.filter((line) => line.startsWith('models/machine') || line.startsWith('models/plan') || line.startsWith('models/profile'))).toEqual([]);
  });
});
