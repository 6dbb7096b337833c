import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxRunOptions } from '../../../../src/shared/sandbox/Sandbox.js';
import { createLocalSandbox } from '../../../../src/sandbox/createLocalSandbox.js';
import { SandboxPolicyError } from '../../../../src/sandbox/native/SandboxPolicyError.js';
import { createBubblewrapSandbox, type BubblewrapSandbox } from '../../../../src/sandbox/native/createBubblewrapSandbox.js';
import { resolveToolDirs } from '../../../../src/sandbox/native/resolveToolDirs.js';
import { bubblewrapWorks } from '../../../utils/bubblewrapWorks.js';
import { createNodeProject } from '../../../utils/createNodeProject.js';
import { createPythonProject } from '../../../utils/createPythonProject.js';

const HOME = process.env.HOME ?? '/root';

describe.skipIf(!bubblewrapWorks())('createBubblewrapSandbox (real bwrap)', () => {
  let root: string;
  let sandbox: BubblewrapSandbox;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'nightshift-bwrap-it-'));
    sandbox = createBubblewrapSandbox({ workspaceDir: root, limits: { pids: 128, memoryBytes: 512 * 1024 ** 2 } });
  });
  afterAll(async () => {
    await sandbox.dispose();
    rmSync(root, { recursive: true, force: true });
  });

  const workspace = () => mkdtempSync(join(root, 'ws-'));
  const run = (command: string, extra: Partial<SandboxRunOptions> = {}) =>
    sandbox.run({ command, workspaceDir: extra.workspaceDir ?? workspace(), timeoutMs: 30_000, outputLimitBytes: 1_000_000, ...extra });

  it('is an isolated sandbox that runs a command and reports its exit code, output and working directory', async () => {
    expect(sandbox.kind).toBe('bubblewrap');
    expect(sandbox.isolated).toBe(true);
    const ws = workspace();
    mkdirSync(join(ws, 'sub'));
    const result = await run('pwd; echo err >&2; exit 7', { workspaceDir: ws, cwd: 'sub' });
    expect(result).toMatchObject({ outcome: 'exited', exitCode: 7, stdout: `${join(ws, 'sub')}\n`, stderr: 'err\n', truncated: false, limitHit: null });
  });

  it('has no network interface but loopback', async () => {
    const result = await run('cat /proc/net/dev');
    const interfaces = result.stdout
      .split('\n')
      .slice(2)
      .filter((line) => line.includes(':'))
      .map((line) => line.split(':')[0]?.trim());
    expect(interfaces).toEqual(['lo']);
    const host = spawnSync('cat', ['/proc/net/dev'], { encoding: 'utf8' }).stdout;
    expect(host.split('\n').slice(2).filter((line) => line.includes(':')).length).toBeGreaterThan(1);
  });

  it("has a working private loopback, so a project's tests can talk to their own servers", async () => {
    const script = [
      'import socket',
      'server = socket.create_server(("localhost", 0))',
      'client = socket.create_connection(server.getsockname())',
      'conn, _ = server.accept()',
      'client.sendall(b"ping")',
      'print(conn.recv(4).decode())',
    ].join('; ');
    const result = await run(`python3 -c '${script}'`);
    expect(result).toMatchObject({ exitCode: 0, stdout: 'ping\n' });
  });

  describe('with an HTTP server on the host loopback', () => {
    let server: Server;
    let port: number;
    let requests = 0;
    beforeAll(async () => {
      server = createServer((_request, response) => {
        requests += 1;
        response.end('reached');
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as { port: number }).port;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    const fetchCommand = () => `python3 -c "import urllib.request; print(urllib.request.urlopen('http://127.0.0.1:${port}/', timeout=5).read().decode())"`;

    it('cannot reach it from inside (the local runner can)', async () => {
      const local = createLocalSandbox();
      const ws = workspace();
      const reached = await local.run({ command: fetchCommand(), workspaceDir: ws, timeoutMs: 30_000, outputLimitBytes: 100_000 });
      await local.dispose();
      expect(reached.stdout).toBe('reached\n');
      const before = requests;

      const result = await run(fetchCommand());
      expect(result.exitCode).not.toBe(0);
      expect(result.stderr).toMatch(/Connection refused/);
      expect(requests).toBe(before);
    });
  });

  it('writes only to the workspace: not /, /etc, /usr, the host /tmp, $HOME, nor the rest of the sandbox root', async () => {
    const ws = workspace();
    const sibling = mkdtempSync(join(root, 'other-'));
    const marker = `ns-marker-${randomUUID()}`;
    const targets = [`/${marker}`, `/etc/${marker}`, `/usr/${marker}`, `/tmp/${marker}`, join(HOME, marker), join(sibling, marker)];
    const script = [...targets.map((path) => `echo x > '${path}' && echo wrote ${path}`), `echo x > ${marker} && echo wrote workspace`].join('; ');
    const result = await run(script, { workspaceDir: ws });
    // The private /tmp takes the write; the host's /tmp does not see it.
    expect(result.stdout).toBe(`wrote /tmp/${marker}\nwrote workspace\n`);
    expect(result.stderr).toMatch(/Read-only file system/);
    for (const path of targets) expect(existsSync(path), path).toBe(false);
    expect(existsSync(join(ws, marker))).toBe(true);
  });

  it('cannot change host settings through /proc, nor gain privileges in a new user namespace', async () => {
    // Writing back the current value is harmless if the guard fails, and fails on a read-only /proc.
    const result = await run('cat /proc/sys/kernel/core_pattern > /tmp/value && cat /tmp/value > /proc/sys/kernel/core_pattern; echo "proc=$?"; unshare --user true; echo "userns=$?"');
    expect(result.stdout).toMatch(/proc=[1-9]/);
    expect(result.stdout).toMatch(/userns=[1-9]/);
    expect(result.stderr).toMatch(/Read-only file system/);
  });

  it('shows nothing of a home directory but the tools installed there, read-only', async () => {
    const fakeHome = mkdtempSync(join(tmpdir(), 'nightshift-fake-home-'));
    try {
      writeFileSync(join(fakeHome, 'secret.txt'), 'top secret');
      mkdirSync(join(fakeHome, '.ssh'));
      writeFileSync(join(fakeHome, '.ssh', 'id_ed25519'), 'private key');
      mkdirSync(join(fakeHome, '.mytool', 'bin'), { recursive: true });
      writeFileSync(join(fakeHome, '.mytool', 'bin', 'mytool'), '#!/bin/sh\necho mytool works\n');
      chmodSync(join(fakeHome, '.mytool', 'bin', 'mytool'), 0o755);
      const homeRoot = mkdtempSync(join(tmpdir(), 'nightshift-bwrap-home-'));
      const homeSandbox = createBubblewrapSandbox({
        workspaceDir: homeRoot,
        tools: ['mytool'],
        env: { HOME: fakeHome, PATH: `${join(fakeHome, '.mytool', 'bin')}:/usr/bin:/bin` },
      });
      try {
        const result = await homeSandbox.run({
          command: `mytool; ls -A '${fakeHome}'; cat '${fakeHome}/secret.txt'; cat '${fakeHome}/.ssh/id_ed25519'; echo x > '${fakeHome}/.mytool/new'`,
          workspaceDir: homeRoot,
          timeoutMs: 30_000,
          outputLimitBytes: 100_000,
        });
        expect(result.stdout).toBe('mytool works\n.mytool\n');
        expect(result.stderr).toMatch(/secret.txt: No such file or directory/);
        expect(result.stderr).toMatch(/id_ed25519: No such file or directory/);
        expect(result.stderr).toMatch(/Read-only file system/);
        expect(existsSync(join(fakeHome, '.mytool', 'new'))).toBe(false);
      } finally {
        await homeSandbox.dispose();
        rmSync(homeRoot, { recursive: true, force: true });
      }
    } finally {
      rmSync(fakeHome, { recursive: true, force: true });
    }
  });

  it("shows of the real home only the tool installs that live there", async () => {
    const hostEntries = readdirSync(HOME);
    const result = await run(`ls -A '${HOME}' 2>/dev/null`);
    const visible = result.stdout.split('\n').filter(Boolean);
    const toolTops = resolveToolDirs({ tools: ['node', 'python3', 'python'], searchPath: process.env.PATH ?? '', home: HOME })
      .filter((path) => path.startsWith(`${HOME}/`))
      .map((path) => path.slice(HOME.length + 1).split('/')[0]);
    expect(visible.sort()).toEqual([...new Set(toolTops)].sort());
    expect(hostEntries.length).toBeGreaterThan(visible.length);
  });

  it('passes only a clean environment, plus what the run adds', async () => {
    const envSandbox = createBubblewrapSandbox({ workspaceDir: root, env: { ...process.env, NS_HOST_SECRET: 'leaked' } });
    try {
      const result = await envSandbox.run({ command: 'env', workspaceDir: workspace(), env: { GIVEN: 'yes' }, timeoutMs: 30_000, outputLimitBytes: 100_000 });
      expect(result.stdout).not.toContain('NS_HOST_SECRET');
      expect(result.stdout).not.toContain('VITEST');
      expect(result.stdout).toContain('GIVEN=yes');
      expect(result.stdout).toContain('HOME=/tmp/home');
      expect(result.stdout).toContain('CI=1');
    } finally {
      await envSandbox.dispose();
    }
  });

  it('kills the command and all its children, even detached ones, at the timeout', async () => {
    const marker = `ns-timeout-${randomUUID()}`;
    const sleeper = `python3 -c 'import time; time.sleep(300)' ${marker}`;
    const pending = run(`${sleeper} & setsid ${sleeper} & (${sleeper} &) ; ${sleeper}`, { timeoutMs: 10_000 });
    let seen = 0;
    for (let attempt = 0; attempt < 90 && seen < 4; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      seen = pgrep(marker).length;
    }
    expect(seen).toBeGreaterThanOrEqual(4);
    const result = await pending;
    expect(result.outcome).toBe('timeout');
    expect(result.exitCode).toBeNull();
    expect(result.durationMs).toBeLessThan(60_000);
    await waitFor(() => pgrep(marker).length === 0);
    expect(pgrep(marker)).toEqual([]);
  });

  it('is cancelled by its abort signal', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const result = await run('sleep 60', { signal: controller.signal });
    expect(result.outcome).toBe('cancelled');
    expect(result.durationMs).toBeLessThan(30_000);
  });

  it('cuts runaway output at the limit and marks it', async () => {
    const result = await run('yes | head -c 5000000; yes err | head -c 3000000 >&2', { outputLimitBytes: 10_000 });
    expect(result.outcome).toBe('exited');
    expect(result.exitCode).toBe(0);
    expect(result.truncated).toBe(true);
    expect(result.stdout).toMatch(/^(y\n){5000}\n\[output truncated at 10000 bytes\]$/);
    expect(result.stderr.length).toBeLessThan(11_000);
  });

  it('stops a fork bomb at the process limit, reports it, and leaves nothing behind', async () => {
    const marker = `ns-bomb-${randomUUID()}`;
    // Bounded: if the limit failed, at most 2^9 small sleeping shells would start, which the host survives.
    const bomb = `bomb() { if [ "$1" -gt 0 ]; then bomb $(($1 - 1)) & bomb $(($1 - 1)) & wait; else exec sh -c 'sleep 20' ${marker}; fi; }; bomb 9`;
    const result = await run(bomb, { timeoutMs: 60_000 });
    expect(result.limitHit).toBe('pids');
    expect(result.outcome).toBe('exited');
    expect(result.durationMs).toBeLessThan(30_000);
    await waitFor(() => pgrep(marker).length === 0);
    expect(pgrep(marker)).toEqual([]);
    const after = await run('echo alive');
    expect(after).toMatchObject({ stdout: 'alive\n', limitHit: null });
  });

  it('stops a memory hog at the memory limit and reports it', async () => {
    const result = await run('python3 -c "b = bytearray(2 * 1024 ** 3); print(len(b))"');
    expect(result.limitHit).toBe('memory');
    expect(result.stdout).toBe('');
    const fits = await run('python3 -c "b = bytearray(64 * 1024 ** 2); print(len(b))"');
    expect(fits).toMatchObject({ exitCode: 0, stdout: `${64 * 1024 ** 2}\n`, limitHit: null });
  });

  it('ends a process that spends its CPU seconds, long before the timeout', async () => {
    const cpuSandbox = createBubblewrapSandbox({ workspaceDir: root, limits: { cpuSeconds: 1 } });
    try {
      const result = await cpuSandbox.run({ command: 'python3 -c "while True: pass"', workspaceDir: workspace(), timeoutMs: 120_000, outputLimitBytes: 10_000 });
      expect(result.outcome).toBe('exited');
      // RLIMIT_CPU ends it with SIGXCPU, or SIGKILL when the soft and hard limits are equal (128 + signal).
      expect([128 + 24, 128 + 9]).toContain(result.exitCode);
      expect(result.durationMs).toBeLessThan(60_000);
    } finally {
      await cpuSandbox.dispose();
    }
  });

  it('runs pytest and node --test on projects in the workspace', async () => {
    const python = createPythonProject({ dir: workspace() });
    const pytest = await run('python3 -m pytest -q -p no:cacheprovider', { workspaceDir: python });
    expect(pytest.exitCode).toBe(0);
    expect(pytest.stdout).toMatch(/2 passed/);
    const node = createNodeProject({ dir: workspace() });
    const nodeTest = await run('node --test', { workspaceDir: node });
    expect(nodeTest.exitCode).toBe(0);
    expect(nodeTest.stdout).toMatch(/# pass 1/);
    const failing = createPythonProject({ dir: workspace(), extraFiles: { 'calc.py': 'def add(a, b):\n    return a - b\n' } });
    const red = await run('python3 -m pytest -q -p no:cacheprovider', { workspaceDir: failing });
    expect(red.exitCode).toBe(1);
    expect(red.stdout).toMatch(/2 failed/);
  });

  it('refuses a workspace outside its own, and exposing the root or the home directory', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'nightshift-outside-'));
    try {
      await expect(sandbox.run({ command: 'true', workspaceDir: outside, timeoutMs: 5000, outputLimitBytes: 100 })).rejects.toBeInstanceOf(SandboxPolicyError);
      await expect(sandbox.run({ command: 'true', workspaceDir: workspace(), cwd: '../..', timeoutMs: 5000, outputLimitBytes: 100 })).rejects.toBeInstanceOf(SandboxPolicyError);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
    expect(() => createBubblewrapSandbox({ workspaceDir: '/' })).toThrow(SandboxPolicyError);
    expect(() => createBubblewrapSandbox({ workspaceDir: HOME })).toThrow(SandboxPolicyError);
    expect(() => createBubblewrapSandbox({ workspaceDir: root, readOnlyDirs: [join(HOME, '..')] })).toThrow(SandboxPolicyError);
  });
});

function pgrep(marker: string): number[] {
  const result = spawnSync('pgrep', ['-f', marker], { encoding: 'utf8' });
  return result.stdout.split('\n').filter(Boolean).map(Number);
}

async function waitFor(condition: () => boolean): Promise<void> {
  for (let attempt = 0; attempt < 300 && !condition(); attempt += 1) await new Promise((resolve) => setTimeout(resolve, 100));
}
