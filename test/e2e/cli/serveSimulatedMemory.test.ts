import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { makeTempDir } from '../../utils/makeTempDir.js';
import { CLI_BIN, runCli } from '../../utils/runCli.js';

// `NIGHTSHIFT_SIMULATE_MEMORY_GB` makes `nightshift serve` plan models for an Apple Silicon Mac of that size,
// so browser tests of the Models view do not depend on the machine they run on.

/** A folder that passes for a built renderer: serve only needs its index.html to start. */
function rendererDir(root: string): string {
  const dir = join(root, 'renderer');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'index.html'), '<!doctype html><div id="app"></div>');
  return dir;
}

describe('nightshift serve with NIGHTSHIFT_SIMULATE_MEMORY_GB', () => {
  it('plans for the simulated Mac: its memory, Metal working set and tier', async () => {
    const root = makeTempDir('nightshift-serve-memory-');
    const child = spawn(process.execPath, [CLI_BIN, 'serve', '--port', '0', '--data-dir', join(root, 'data'), '--renderer-dir', rendererDir(root)], {
      env: { ...process.env, NIGHTSHIFT_SIMULATE_MEMORY_GB: '24' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    onTestFinished(() => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    let output = '';
    const url = await new Promise<URL>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`serve printed no URL in time:\n${output}`)), 60_000);
      const read = (text: string) => {
        output += text;
        const match = /served at (http:\/\/\S+)/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(new URL(match[1]!));
        }
      };
      child.stdout.setEncoding('utf8').on('data', read);
      child.stderr.setEncoding('utf8').on('data', read);
      child.once('exit', (code) => reject(new Error(`serve exited with ${code}:\n${output}`)));
    });
    const response = await fetch(new URL('/api/models/machine', url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-nightshift-token': url.searchParams.get('token')! },
      body: '{}',
    });
    const result = (await response.json()) as { ok: boolean; value: Record<string, unknown> };
    expect(result.ok).toBe(true);
    expect(result.value).toMatchObject({
      simulated: true,
      unified: true,
      totalMemoryBytes: 24 * 1024 ** 3,
      metalWorkingSetBytes: 16 * 1024 ** 3,
      limitedBy: 'metal-working-set',
      tier: { profileId: 'mac-24gb', memoryGb: 24 },
    });
  });

  it('refuses a value that is not a whole number of GB', () => {
    const root = makeTempDir('nightshift-serve-memory-bad-');
    const result = runCli({
      args: ['serve', '--port', '0', '--data-dir', join(root, 'data'), '--renderer-dir', rendererDir(root)],
      env: { NIGHTSHIFT_SIMULATE_MEMORY_GB: '24GB' },
      timeoutMs: 60_000,
    });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('NIGHTSHIFT_SIMULATE_MEMORY_GB must be a whole number of GB from 1 to 1024, not "24GB".');
  });
});
