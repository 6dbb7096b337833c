import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { ProtocolName, ProtocolResult } from '../../src/shared/protocol.js';
import { buildRenderer } from './buildRenderer.js';
import { launchChromium } from './launchChromium.js';
import { startBrowserApiServer, type BrowserApiServer } from './startBrowserApiServer.js';

export interface RendererPage {
  page: Page;
  server: BrowserApiServer;
  /** Uncaught errors and console errors the page has raised so far; a test expects none. */
  pageErrors: string[];
  /** Closes the page, then the server. */
  close(): Promise<void>;
}

export interface RendererBrowser {
  /**
   * Serves the built renderer over the browser API, answering each message with `handle`, and opens a new page
   * (not yet navigated: go to `server.url`) that records its errors.
   */
  openPage(options: {
    handle: (name: ProtocolName, request: unknown) => Promise<ProtocolResult<unknown>>;
    /** The page's size in CSS pixels. Default 1440 × 900. */
    viewport?: { width: number; height: number };
  }): Promise<RendererPage>;
  /** Closes the browser and removes the built renderer. */
  close(): Promise<void>;
}

/**
 * The renderer's browser tests' setup, once per test file: builds the renderer into a temporary folder with Vite
 * and launches headless Chromium.
 */
export async function startRendererBrowser(): Promise<RendererBrowser> {
  const staticDir = mkdtempSync(join(tmpdir(), 'nightshift-renderer-'));
  const browser = await buildRenderer({ outDir: staticDir })
    .then(() => launchChromium())
    .catch((error: unknown) => {
      rmSync(staticDir, { recursive: true, force: true });
      throw error;
    });
  return {
    openPage: async ({ handle, viewport = { width: 1440, height: 900 } }) => {
      const server = await startBrowserApiServer({ staticDir, handle });
      const page = await browser.newPage({ viewport });
      const pageErrors: string[] = [];
      page.on('pageerror', (error) => pageErrors.push(error.message));
      page.on('console', (message) => {
        if (message.type() === 'error') pageErrors.push(message.text());
      });
      return {
        page,
        server,
        pageErrors,
        close: async () => {
          await page.close();
          await server.close();
        },
      };
    },
    close: async () => {
      await browser.close();
      rmSync(staticDir, { recursive: true, force: true });
    },
  };
}
