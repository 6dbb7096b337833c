/*
 * `npm run bench:sandbox`: what the sandboxes cost on the pytest fixture project (test/fixtures/
 * createPythonFixture.ts), all figures from one run on the same files:
 *   a. a warm test run (`python3 -m pytest -q -p no:cacheprovider`) in the Docker sandbox, its container made
 *      once, versus the same command bare on the host (createLocalSandbox): warm-ups first, then rounds that
 *      alternate which side goes first; target docker/bare <= 1.2;
 *   b. Docker cold start: createDockerSandbox (image present) until a first `true` has completed;
 *   c. the native sandbox (bubblewrap) versus bare for the same pytest command.
 * Prints a table and one line per target (MET / NOT MET). Always exits 0 when it could measure anything: it
 * is a benchmark, and a machine without Docker still gets (c).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import type Dockerode from 'dockerode';
import type { Sandbox } from '../../src/shared/sandbox/Sandbox.js';
import { createLocalSandbox } from '../../src/sandbox/createLocalSandbox.js';
import { createDockerSandbox } from '../../src/sandbox/docker/createDockerSandbox.js';
import { discoverDockerEndpoint } from '../../src/sandbox/docker/discoverDockerEndpoint.js';
import { ensureSandboxImage } from '../../src/sandbox/docker/ensureSandboxImage.js';
import { createBubblewrapSandbox } from '../../src/sandbox/native/createBubblewrapSandbox.js';
import { pythonFiles } from '../../test/fixtures/createPythonFixture.js';
import { writeFiles } from '../../test/utils/createGitRepo.js';

const COMMAND = 'python3 -m pytest -q -p no:cacheprovider';
const WARMUP_RUNS = 2;
const MEASURED_RUNS = 10;
const COLD_STARTS = 5;
const TARGET_RATIO = 1.2;
const TIMEOUT_MS = 60_000;
const OUTPUT_LIMIT_BYTES = 1_048_576;

interface Row {
  what: string;
  medianMs: number | null;
  note: string;
}

const rows: Row[] = [];
const verdicts: string[] = [];
const workspaceDir = mkdtempSync(join(tmpdir(), 'nightshift-sandbox-bench-'));
writeFiles(workspaceDir, pythonFiles);
const bare = createLocalSandbox();

try {
  await benchDocker();
  await benchNative();
} finally {
  await bare.dispose();
  rmSync(workspaceDir, { recursive: true, force: true });
}

printTable();

async function benchDocker(): Promise<void> {
  let docker: Dockerode;
  let image: string;
  try {
    docker = (await discoverDockerEndpoint({ env: process.env, homeDir: homedir(), platform: process.platform })).docker;
    image = (await ensureSandboxImage({ docker, stack: 'python', onProgress: (line) => process.stderr.write(`image: ${line}\n`) })).image;
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    process.stdout.write(`Docker unavailable, skipping (a) and (b): ${reason}\n`);
    rows.push({ what: 'docker', medianMs: null, note: 'unavailable' });
    return;
  }

  const sandbox = await createDockerSandbox({ docker, image, workspaceDir, sessionId: 'bench-warm' });
  try {
    const { sandboxMs, bareMs } = await compare(sandbox);
    rows.push({ what: 'pytest, bare host', medianMs: median(bareMs), note: `n=${MEASURED_RUNS}` });
    rows.push({ what: 'pytest, docker (warm exec)', medianMs: median(sandboxMs), note: `n=${MEASURED_RUNS}` });
    verdict('(a) docker/bare', median(sandboxMs) / median(bareMs));
  } finally {
    await sandbox.dispose();
  }

  const coldMs: number[] = [];
  for (let index = 0; index < COLD_STARTS; index++) {
    const started = performance.now();
    const cold = await createDockerSandbox({ docker, image, workspaceDir, sessionId: `bench-cold-${index}` });
    try {
      await mustPass(cold, 'true');
      coldMs.push(performance.now() - started);
    } finally {
      await cold.dispose();
    }
  }
  rows.push({ what: 'docker cold start to first `true`', medianMs: median(coldMs), note: `n=${COLD_STARTS}, min ${fmt(Math.min(...coldMs))}, max ${fmt(Math.max(...coldMs))}` });
}

async function benchNative(): Promise<void> {
  let sandbox: Sandbox;
  try {
    sandbox = createBubblewrapSandbox({ workspaceDir });
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    process.stdout.write(`bubblewrap unavailable, skipping (c): ${reason}\n`);
    rows.push({ what: 'bubblewrap', medianMs: null, note: 'unavailable' });
    return;
  }
  try {
    const { sandboxMs, bareMs } = await compare(sandbox);
    const limitMethod = (sandbox as { limitMethod?: string }).limitMethod ?? 'unknown';
    rows.push({ what: 'pytest, bare host (beside bwrap)', medianMs: median(bareMs), note: `n=${MEASURED_RUNS}` });
    rows.push({ what: 'pytest, bubblewrap', medianMs: median(sandboxMs), note: `n=${MEASURED_RUNS}, limits by ${limitMethod}` });
    verdict('(c) bubblewrap/bare', median(sandboxMs) / median(bareMs));
  } finally {
    await sandbox.dispose();
  }
}

/** Warm-ups on both sides, then rounds alternating which goes first, so drift on a shared machine hits both. */
async function compare(sandbox: Sandbox): Promise<{ sandboxMs: number[]; bareMs: number[] }> {
  for (let index = 0; index < WARMUP_RUNS; index++) {
    await mustPass(sandbox, COMMAND);
    await mustPass(bare, COMMAND);
  }
  const sandboxMs: number[] = [];
  const bareMs: number[] = [];
  for (let index = 0; index < MEASURED_RUNS; index++) {
    const order: Array<[Sandbox, number[]]> = index % 2 === 0 ? [[sandbox, sandboxMs], [bare, bareMs]] : [[bare, bareMs], [sandbox, sandboxMs]];
    for (const [side, times] of order) {
      const started = performance.now();
      await mustPass(side, COMMAND);
      times.push(performance.now() - started);
    }
  }
  return { sandboxMs, bareMs };
}

async function mustPass(sandbox: Sandbox, command: string): Promise<void> {
  const result = await sandbox.run({ command, workspaceDir, timeoutMs: TIMEOUT_MS, outputLimitBytes: OUTPUT_LIMIT_BYTES });
  if (result.outcome !== 'exited' || result.exitCode !== 0) {
    throw new Error(`${sandbox.kind}: \`${command}\` ended ${result.outcome} (exit ${result.exitCode}):\n${result.stdout}${result.stderr}`);
  }
}

function verdict(label: string, ratio: number): void {
  verdicts.push(`${label} = ${ratio.toFixed(2)} (target <= ${TARGET_RATIO}): ${ratio <= TARGET_RATIO ? 'MET' : 'NOT MET'}`);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

function fmt(ms: number): string {
  return `${ms.toFixed(0)} ms`;
}

function printTable(): void {
  const width = Math.max(...rows.map((row) => row.what.length));
  process.stdout.write(`\nSandbox bench: \`${COMMAND}\` on the pytest fixture (${WARMUP_RUNS} warm-ups, medians)\n`);
  for (const row of rows) {
    process.stdout.write(`  ${row.what.padEnd(width)}  ${(row.medianMs === null ? '-' : fmt(row.medianMs)).padStart(9)}  ${row.note}\n`);
  }
  for (const line of verdicts) process.stdout.write(`${line}\n`);
}
