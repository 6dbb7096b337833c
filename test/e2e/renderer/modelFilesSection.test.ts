import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createMainHost } from '../../../src/host/createMainHost.js';
import { createTinyGguf } from '../../fixtures/createTinyGguf.js';
import { closedLocalPort } from '../../utils/closedLocalPort.js';
import { makeTempDir } from '../../utils/makeTempDir.js';
import { startRendererBrowser, type RendererBrowser } from '../../utils/startRendererBrowser.js';

// The Models view's Model files section as a person uses it: the built renderer in real Chromium over the
// browser API, answered by the real host over a temporary data directory. The download source is a closed
// local port, so the section shows itself offline and import is the way to add a model.

const SCREENSHOTS = fileURLToPath(new URL('../../../test-results/', import.meta.url));

let renderer: RendererBrowser;

beforeAll(async () => {
  renderer = await startRendererBrowser();
});

afterAll(async () => {
  await renderer?.close();
});

describe('Model files section', () => {
  it('says it is offline, imports a generated GGUF by copy and lists it, then deletes it after confirmation', async () => {
    const root = makeTempDir('nightshift-model-files-view-');
    const gguf = createTinyGguf({ path: join(root, 'Tiny Chat.gguf'), name: 'tiny-chat' });
    const unexpected: string[] = [];
    const host = createMainHost({
      dataDir: join(root, 'data'),
      modelFiles: { huggingFaceEndpoint: `http://127.0.0.1:${await closedLocalPort()}`, memoryBytes: 32 * 1024 ** 3 },
      onUnexpectedError: (error, name) => unexpected.push(`${name}: ${String(error)}`),
    });
    onTestFinished(() => host.dispose());
    const opened = await renderer.openPage({ handle: (name, request) => host.handle(name, request), viewport: { width: 1440, height: 1400 } });
    onTestFinished(() => opened.close());
    const { page, server } = opened;
    onTestFinished(host.onEvent((event) => server.push(event)));
    await page.goto(server.url);

    await page.getByRole('tab', { name: 'Models' }).click();
    // The Models view mounts the section; until it does, this waits and the test fails on its timeout.
    const section = page.locator('[data-view="models"] [data-model-files]');
    await section.waitFor({ timeout: 60_000 });
    await section.locator('[data-offline]').waitFor();
    expect(await section.locator('[data-offline]').innerText()).toMatch(/Offline: http:\/\/127\.0\.0\.1:\d+ cannot be reached \(ECONNREFUSED\).*Import a GGUF/s);
    // The 32 GB tier's models are all missing here, each with its size; offline, none can be downloaded.
    const missing = section.locator('[data-missing-model]');
    expect(await missing.count()).toBeGreaterThan(0);
    expect(await missing.first().innerText()).toMatch(/\d+(\.\d)? GiB, for /);
    expect(await missing.first().getByRole('button', { name: 'Download' }).isDisabled()).toBe(true);

    const form = section.getByRole('form', { name: 'Import a GGUF' });
    await form.getByLabel('Path of the .gguf file').fill(join(root, 'notes.txt'));
    await form.getByRole('button', { name: 'Import' }).click();
    await form.locator('[data-code="MODEL_IMPORT_FAILED"]').waitFor();

    await form.getByLabel('Path of the .gguf file').fill(gguf.path);
    await form.getByLabel('Copy into the model folder').check();
    await form.getByRole('button', { name: 'Import' }).click();
    const row = section.locator('[data-model-file="tiny-chat"]');
    await row.waitFor();
    expect(await row.locator('[data-quantization]').innerText()).toBe('F32');
    expect(await row.locator('[data-verified]').innerText()).toBe('Not verified');
    expect(await row.innerText()).toContain('Imported (copy)');
    expect(await form.locator('[role="alert"]').count()).toBe(0);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await section.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOTS, 'model-files.png'), fullPage: true });

    await row.getByRole('button', { name: 'Delete tiny-chat' }).click();
    expect(await row.getByRole('alert').innerText()).toContain('Delete tiny-chat? This frees');
    await row.getByRole('button', { name: 'Delete', exact: true }).click();
    await section.locator('[data-deleted]').waitFor();
    expect(await section.locator('[data-deleted]').innerText()).toMatch(/Deleted tiny-chat; freed [\d.]+ KiB\./);
    await row.waitFor({ state: 'detached' });
    expect(opened.pageErrors).toEqual([]);
    expect(unexpected).toEqual([]);
  });
});
