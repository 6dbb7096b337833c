/// <reference lib="dom" />
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRenderer } from '../../utils/buildRenderer.js';
import { closedLocalPort } from '../../utils/closedLocalPort.js';
import { createFakeHost } from '../../utils/createFakeHost.js';
import { launchChromium } from '../../utils/launchChromium.js';
import { startBrowserApiServer, type BrowserApiServer } from '../../utils/startBrowserApiServer.js';

// The built renderer in real Chromium, checked for what a compromised or buggy page could reach: no Node
// globals, no injected script (the page's Content-Security-Policy), no request to any other
// origin. In Electron the same bundle runs with contextIsolation and sandbox on (test/e2e/electron).

let staticDir: string;
let browser: Browser;
let server: BrowserApiServer;
let page: Page;

beforeAll(async () => {
  staticDir = mkdtempSync(join(tmpdir(), 'nightshift-isolation-'));
  await buildRenderer({ outDir: staticDir });
  browser = await launchChromium();
  const host = createFakeHost();
  server = await startBrowserApiServer({ staticDir, handle: (name, request) => host.handle(name, request) });
  page = await browser.newPage();
  await page.goto(server.url);
  await page.getByRole('tab', { name: 'Review' }).click();
  // The app rendered from the host's answers, so its whole bundle has loaded and run.
  await page.getByRole('list', { name: 'Sessions' }).getByRole('button').first().waitFor();
});

afterAll(async () => {
  await page?.close();
  await server?.close();
  await browser?.close();
  rmSync(staticDir, { recursive: true, force: true });
});

describe('renderer isolation in Chromium', () => {
  it('finds no Node globals in the running app', async () => {
    const reachable = await page.evaluate(() => {
      const names = ['require', 'process', 'module', 'exports', 'global', 'Buffer', '__dirname', '__filename', 'setImmediate'];
      return Object.fromEntries(names.map((name) => [name, name in globalThis ? typeof (globalThis as Record<string, unknown>)[name] : 'absent']));
    });
    expect(reachable).toEqual({
      require: 'absent',
      process: 'absent',
      module: 'absent',
      exports: 'absent',
      global: 'absent',
      Buffer: 'absent',
      __dirname: 'absent',
      __filename: 'absent',
      setImmediate: 'absent',
    });
    // Served over HTTP, the app talks to the host through fetch only; no bridge exists to abuse.
    expect(await page.evaluate(() => typeof (window as { nightshift?: unknown }).nightshift)).toBe('undefined');
  });

  it('ships a bundle that imports no Node built-in module', () => {
    const assets = readdirSync(join(staticDir, 'assets')).filter((name) => name.endsWith('.js'));
    expect(assets.length).toBeGreaterThan(0);
    const builtins = new RegExp(
      `(?:from\\s*|import\\s*\\(\\s*|require\\s*\\(\\s*)["'](?:node:[\\w/]+|${builtinModules.filter((name) => !name.startsWith('_')).join('|')})["']`,
    );
    for (const asset of assets) expect(readFileSync(join(staticDir, 'assets', asset), 'utf8')).not.toMatch(builtins);
  });

  it('refuses script injected into the page, inline or as an event handler attribute', async () => {
    const outcome = await page.evaluate(async () => {
      const script = document.createElement('script');
      script.textContent = 'window.__injected = "script"';
      document.body.append(script);
      const image = document.createElement('img');
      image.setAttribute('onerror', 'window.__handler = "ran"');
      image.src = 'data:image/png;base64,broken';
      document.body.append(image);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const seen = window as { __injected?: string; __handler?: string };
      return { script: seen.__injected ?? 'blocked', handler: seen.__handler ?? 'blocked' };
    });
    expect(outcome).toEqual({ script: 'blocked', handler: 'blocked' });
  });

  it('cannot send a request to another origin', async () => {
    const port = await closedLocalPort();
    const outcome = await page.evaluate(async (url) => {
      const violations: string[] = [];
      document.addEventListener('securitypolicyviolation', (event) => violations.push(event.violatedDirective));
      let fetched: string;
      try {
        await fetch(url);
        fetched = 'sent';
      } catch {
        fetched = 'refused';
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
      return { fetched, violations };
    }, `http://127.0.0.1:${port}/steal`);
    expect(outcome).toEqual({ fetched: 'refused', violations: ['connect-src'] });
  });
});
