import { mkdirSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createMainHost } from '../../../src/host/createMainHost.js';
import type { EngineEvent } from '../../../src/shared/engineEventSchema.js';
import { simulateAppleSiliconMachine } from '../../../src/runtime/placement/simulateAppleSiliconMachine.js';
import { createTinyGguf } from '../../fixtures/createTinyGguf.js';
import { makeTempDir } from '../../utils/makeTempDir.js';
import { startRendererBrowser, type RendererBrowser } from '../../utils/startRendererBrowser.js';

// The Models view's Residency section as a person uses it: the built renderer in real Chromium over the browser
// API, answered by the real host, whose own model host runs a generated GGUF in real llama.cpp on the CPU.

const SCREENSHOTS = fileURLToPath(new URL('../../../test-results/', import.meta.url));
const GIB = 1024 ** 3;

let renderer: RendererBrowser;

beforeAll(async () => {
  renderer = await startRendererBrowser();
});

afterAll(async () => {
  await renderer?.close();
});

describe('Residency section', () => {
  it('loads a GGUF, shows its memory and counters, pins it, and streams a try prompt with tokens/s and time to first token', async () => {
    const root = realpathSync(makeTempDir('nightshift-residency-view-'));
    const gguf = createTinyGguf({ path: join(root, 'tiny-view.gguf'), name: 'tiny-view' }).path;
    const simulated = simulateAppleSiliconMachine({ memoryBytes: 32 * GIB });
    const unexpected: string[] = [];
    const host = createMainHost({
      dataDir: join(root, 'data'),
      residencyModelFile: gguf,
      machine: { totalMemoryBytes: simulated.totalMemoryBytes, metalWorkingSetBytes: simulated.metalWorkingSetBytes!, chip: 'Apple M2 Pro' },
      onUnexpectedError: (error, name) => unexpected.push(`${name}: ${String(error)}`),
    });
    onTestFinished(() => host.dispose());
    const opened = await renderer.openPage({ handle: (name, request) => host.handle(name, request), viewport: { width: 1440, height: 1600 } });
    onTestFinished(() => opened.close());
    const { page, server, pageErrors } = opened;
    const tokens: string[] = [];
    host.onEvent((event: EngineEvent) => {
      if (event.type === 'models/try-token') tokens.push(event.text);
      server.push(event);
    });
    await page.goto(server.url);
    await server.waitForEventClients();

    await page.getByRole('tab', { name: 'Models' }).click();
    const section = page.locator('[data-residency]');
    await section.waitFor();
    await expect.poll(() => section.innerText()).toMatch(/No model is loaded/);

    // Load the coder's model: the host's GGUF, loaded in its own model process.
    await section.getByRole('button', { name: 'Load', exact: true }).click();
    const model = section.locator('[data-model-id="tiny-view"]');
    await model.waitFor();
    expect(await model.innerText()).toMatch(/brain, coder, qa · [\d,]+ tokens of context/);
    expect(await model.locator('[data-estimated]').innerText()).toMatch(/^[\d.]+ (KiB|MiB)$/);
    expect(await model.locator('[data-measured]').innerText()).toMatch(/^[\d.]+ (KiB|MiB)$/);
    expect(await section.locator('[data-counter="loads"]').innerText()).toBe('1 loads');
    expect(await section.locator('[data-counter="evictions"]').innerText()).toBe('0 evictions');

    await section.getByRole('button', { name: 'Pin tiny-view' }).click();
    await model.locator('.tag', { hasText: 'pinned' }).waitFor();

    // Record what the output box shows as it changes, to see the tokens arrive before the figures.
    const output = section.locator('[data-try-output]');
    await output.evaluate((element) => {
      const seen: string[] = [];
      (window as unknown as { seenOutput: string[] }).seenOutput = seen;
      new MutationObserver(() => {
        if (!document.querySelector('[data-try-figures]')) seen.push(element.textContent ?? '');
      }).observe(element, { childList: true, characterData: true, subtree: true });
    });
    await section.getByLabel(/Try it/).fill('Name a colour.');
    await section.getByLabel('Max tokens').fill('64');
    await section.getByRole('button', { name: 'Run' }).click();
    const figures = section.locator('[data-try-figures]');
    await figures.waitFor({ timeout: 120_000 });

    const text = await output.innerText();
    expect(tokens.length).toBeGreaterThan(1);
    expect(text).toBe(tokens.join(''));
    const seen = await page.evaluate(() => (window as unknown as { seenOutput: string[] }).seenOutput.filter((shown) => shown !== ''));
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((shown) => text.startsWith(shown))).toBe(true);
    expect(await figures.locator('[data-tokens-per-second]').innerText()).toMatch(/^\d+\.\d tokens\/s$/);
    expect(await figures.locator('[data-ttft]').innerText()).toMatch(/^\d+ ms$/);
    expect(await figures.innerText()).toMatch(/^(\d+) tokens · .* on tiny-view$/);
    expect(Number(/^(\d+) tokens/.exec(await figures.innerText())![1])).toBeLessThanOrEqual(64);
    // The try ran on the model already loaded: nothing more was loaded.
    await expect.poll(() => section.locator('[data-counter="loads"]').innerText()).toBe('1 loads');

    mkdirSync(SCREENSHOTS, { recursive: true });
    await section.screenshot({ path: join(SCREENSHOTS, 'model-residency.png') });

    await section.getByRole('button', { name: 'Unload tiny-view' }).click();
    await model.waitFor({ state: 'detached' });
    expect(await section.locator('[data-counter="unloads"]').innerText()).toBe('1 unloads');
    expect(pageErrors).toEqual([]);
    expect(unexpected).toEqual([]);
  });
});
