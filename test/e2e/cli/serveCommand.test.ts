import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqliteStore } from '../../../src/engine/store/createSqliteStore.js';
import { openDataDir } from '../../../src/engine/store/openDataDir.js';
import { buildRenderer } from '../../utils/buildRenderer.js';
import { createGitRepo } from '../../utils/createGitRepo.js';
import { CLI_BIN, runCli } from '../../utils/runCli.js';
import { seedStore } from '../../utils/seedStore.js';

// The real `nightshift serve` in a child process, over a built renderer and a seeded data directory,
// probed with raw HTTP so every header (Host, Origin, the token) is exactly what the test says.

let root: string;
let rendererDir: string;
let repo: string;
let child: ChildProcessWithoutNullStreams;
let stdout = '';
let url: URL;
let port: number;
let token: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'nightshift-serve-'));
  rendererDir = join(root, 'renderer');
  await buildRenderer({ outDir: rendererDir });
  writeFileSync(join(root, 'secret.txt'), 'outside the renderer folder\n');
  repo = realpathSync(createGitRepo({ dir: join(root, 'calc'), commits: [{ files: { 'README.md': '# calc\n' } }] }));
  const dataDir = join(root, 'data');
  const store = createSqliteStore({ path: openDataDir({ dir: dataDir }).dbPath });
  try {
    seedStore({ store, sessionId: 'night1', projectPath: repo, taskIds: ['T1', 'T2'] });
  } finally {
    store.dispose();
  }

  child = spawn(process.execPath, [CLI_BIN, 'serve', '--port', '0', '--data-dir', dataDir, '--renderer-dir', rendererDir, '--project', repo], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const printed = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve printed no URL in time:\n${stdout}${stderr}`)), 60_000);
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      stdout += text;
      const match = /served at (http:\/\/\S+)/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}:\n${stdout}${stderr}`)));
  });
  url = new URL(printed);
  port = Number(url.port);
  token = url.searchParams.get('token') ?? '';
}, 180_000);

afterAll(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  rmSync(root, { recursive: true, force: true });
});

/** One raw HTTP request to 127.0.0.1:port; `path` is sent as written, unnormalized. */
function send(options: { path: string; method?: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: '127.0.0.1', port, path: options.path, method: options.method ?? 'GET', headers: options.headers }, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (text: string) => (body += text));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, type: String(response.headers['content-type'] ?? ''), body }));
    });
    request.once('error', reject);
    request.end(options.body);
  });
}

function sessionList(headers: Record<string, string>, query = ''): ReturnType<typeof send> {
  return send({ path: `/api/session/list${query}`, method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{}' });
}

describe('nightshift serve', () => {
  it('prints a URL on 127.0.0.1 with a token of at least 128 bits, and opens --project at start', () => {
    expect(url.hostname).toBe('127.0.0.1');
    expect(port).toBeGreaterThan(0);
    expect(Buffer.from(token, 'base64url').length).toBeGreaterThanOrEqual(16);
    expect(stdout).toContain(`Project: ${repo}`);
  });

  it('serves the built renderer', async () => {
    const page = await send({ path: `/?token=${token}` });
    expect(page.status).toBe(200);
    expect(page.type).toContain('text/html');
    expect(page.body).toContain('<div id="app"');
  });

  it('answers protocol messages only with the token', async () => {
    const withToken = await sessionList({}, `?token=${token}`);
    expect(withToken.status).toBe(200);
    const result = JSON.parse(withToken.body) as { ok: boolean; value: Array<{ id: string; projectPath: string }> };
    expect(result.ok).toBe(true);
    expect(result.value.map((session) => [session.id, session.projectPath])).toEqual([['night1', repo]]);
    expect((await sessionList({ 'x-nightshift-token': token })).status).toBe(200);

    for (const refused of [await sessionList({}), await sessionList({}, '?token=wrong'), await sessionList({ 'x-nightshift-token': `${token}x` })]) {
      expect(refused.status).toBe(401);
      expect(JSON.parse(refused.body)).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    }
    expect((await send({ path: '/api/events' })).status).toBe(401);
  });

  it('refuses another origin and a host name that is not loopback, even with the token', async () => {
    expect((await sessionList({ origin: 'http://evil.example' }, `?token=${token}`)).status).toBe(403);
    expect((await sessionList({ origin: `http://127.0.0.1:${port + 1}` }, `?token=${token}`)).status).toBe(403);
    expect((await sessionList({ host: `rebound.example:${port}` }, `?token=${token}`)).status).toBe(403);
    expect((await sessionList({ origin: `http://127.0.0.1:${port}` }, `?token=${token}`)).status).toBe(200);
    // Behind an SSH tunnel the browser names its own end of it, which is still a loopback host.
    expect((await sessionList({ host: 'localhost:8080', origin: 'http://localhost:8080' }, `?token=${token}`)).status).toBe(200);
  });

  it('streams events to a client with the token', async () => {
    const chunk = await new Promise<{ status: number; type: string; text: string }>((resolve, reject) => {
      const request = httpRequest({ host: '127.0.0.1', port, path: `/api/events?token=${token}` }, (response) => {
        response.setEncoding('utf8').once('data', (text: string) => {
          resolve({ status: response.statusCode ?? 0, type: String(response.headers['content-type']), text });
          request.destroy();
        });
      });
      request.once('error', reject);
      request.end();
    });
    expect(chunk).toEqual({ status: 200, type: 'text/event-stream', text: ': connected\n\n' });
  });

  it('serves no file outside the renderer folder', async () => {
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/%2e%2e%2fsecret.txt', '/..%5csecret.txt', '/assets/..%2f..%2fsecret.txt', `/${'..%2f'.repeat(8)}etc/passwd`]) {
      const answer = await send({ path });
      expect([403, 404], path).toContain(answer.status);
      expect(answer.body, path).not.toContain('outside the renderer folder');
      expect(answer.body, path).not.toContain('root:');
    }
  });

  it('listens on 127.0.0.1 only', async () => {
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((address) => address !== undefined && !address.internal)
      .map((address) => address!.address);
    for (const host of ['::1', ...others]) {
      const outcome = await new Promise<string>((resolve) => {
        const socket = connect({ host, port });
        socket.once('connect', () => {
          socket.destroy();
          resolve('connected');
        });
        socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
      });
      expect(outcome, host).not.toBe('connected');
    }
  });

  it('stops cleanly on Ctrl-C', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(stdout).toContain('Stopped.');
  });
});

describe('nightshift serve without a built renderer', () => {
  it('says how to build it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nightshift-serve-empty-'));
    try {
      mkdirSync(join(dir, 'renderer'));
      const result = runCli({ args: ['serve', '--data-dir', join(dir, 'data'), '--renderer-dir', join(dir, 'renderer')] });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('is not built');
      expect(result.stderr).toContain('npm run build');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
