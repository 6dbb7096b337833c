import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Where Debian's chromium package installs the browser. */
const DEBIAN_CHROMIUM = '/usr/bin/chromium';

/**
 * Starts headless Debian Chromium through Playwright. Playwright's own browser downloads are not used: they
 * come from outside the npm registry. The background-networking flags stop Chromium from dialling out,
 * which on a closed network only produces refused connections and slow starts.
 */
export async function launchChromium(
  options: {
    /** The Chromium executable. Default: `$CHROMIUM_PATH`, else `/usr/bin/chromium`. */
    executablePath?: string;
  } = {},
): Promise<Browser> {
  const executablePath = options.executablePath ?? process.env.CHROMIUM_PATH ?? DEBIAN_CHROMIUM;
  if (!existsSync(executablePath)) {
    throw new Error(
      `Chromium is not installed at ${executablePath}, and the renderer's browser tests need it. ` +
        'Install Debian\'s package with `apt-get update && apt-get install -y chromium` (CI does this), ' +
        'or point CHROMIUM_PATH at another Chromium.',
    );
  }
  return chromium.launch({
    executablePath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
    ],
  });
}
