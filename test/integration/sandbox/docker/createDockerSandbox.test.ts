import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { SandboxRunOptions } from '../../../../src/shared/sandbox/Sandbox.js';
import { createDockerSandbox, type DockerSandboxLimits } from '../../../../src/sandbox/docker/createDockerSandbox.js';
import { ensureSandboxImage } from '../../../../src/sandbox/docker/ensureSandboxImage.js';
import { createPythonProject } from '../../../utils/createPythonProject.js';
import { dockerSkipNote, findTestDocker } from '../../../utils/findTestDocker.js';
import { makeTempDir } from '../../../utils/makeTempDir.js';
import { writeVitestProject } from '../writeVitestProject.js';

const found = await findTestDocker();
const docker = found.docker;
// A host secret that must not reach sandboxed commands.
process.env.NIGHTSHIFT_TEST_SECRET = 'do-not-leak';

describe.skipIf(!docker)(dockerSkipNote(found, 'Docker sandbox'), () => {
  let pythonImage = '';
  beforeAll(async () => {
    pythonImage = (await ensureSandboxImage({ docker: docker!, stack: 'python' })).image;
  });

  /** A sandbox on a fresh workspace (owned by `owner` when given), removed after the test. */
  async function sandbox(options: { owner?: number; user?: string; limits?: DockerSandboxLimits } = {}) {
    const workspaceDir = makeTempDir('nightshift-docker-');
    if (options.owner !== undefined) chownSync(workspaceDir, options.owner, options.owner);
    const box = await createDockerSandbox({
      docker: docker!,
      image: pythonImage,
      workspaceDir,
      sessionId: 'test-session',
      ...(options.user ? { user: options.user } : {}),
      ...(options.limits ? { limits: options.limits } : {}),
    });
    onTestFinished(() => box.dispose());
    const run = (command: string, extra: Partial<SandboxRunOptions> = {}) =>
      box.run({ command, workspaceDir, timeoutMs: 20_000, outputLimitBytes: 64 * 1024, ...extra });
    return { box, workspaceDir, run };
  }

  it('has no network: only loopback, and a server on the host\'s 127.0.0.1 cannot be reached', async () => {
    let requests = 0;
    const server = createServer((_request, response) => {
      requests += 1;
      response.end('hello');
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    onTestFinished(() => new Promise<void>((done) => server.close(() => done())));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const probe = `import urllib.request; print(urllib.request.urlopen("${url}", timeout=3).read().decode())`;
    // The same probe on the host reaches the server, so a failure inside is the sandbox's doing.
    expect((await promisify(execFile)('python3', ['-c', probe], { encoding: 'utf8' })).stdout.trim()).toBe('hello');
    expect(requests).toBe(1);

    const { run } = await sandbox();
    const interfaces = await run("tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' '");
    expect(interfaces.stdout.trim().split('\n')).toEqual(['lo']);
    const reach = await run(`python3 -c '${probe}'`);
    expect(reach.outcome).toBe('exited');
    expect(reach.exitCode).not.toBe(0);
    expect(reach.stderr).toMatch(/Connection refused|URLError/);
    expect(requests).toBe(1);
  });

  it('lets commands write the workspace and /tmp only, as a non-root user whose files the host can use', async () => {
    const { box, workspaceDir, run } = await sandbox({ owner: 1000 });
    expect(box.user).toBe('1000:1000');
    const targets = ['/etc/probe', '/probe', '/home/probe', '/home/nightshift/probe', '/usr/probe', '/var/probe', '/root/probe'];
    const result = await run(
      `for p in ${targets.join(' ')}; do if (echo x > "$p") 2>/dev/null; then echo "WROTE $p"; fi; done; ` +
        'mkdir -p made/deeper && echo inside > made/deeper/file.txt && echo scratch > /tmp/scratch && id -u',
    );
    expect(result.outcome).toBe('exited');
    expect(result.exitCode).toBe(0);
    expect(result.stdout.trim()).toBe('1000');
    const written = join(workspaceDir, 'made', 'deeper', 'file.txt');
    expect(statSync(written).uid).toBe(1000);
    expect(execFileSync('cat', [written], { encoding: 'utf8' })).toBe('inside\n');
  });

  it('refuses writes outside /workspace to root inside the container as well', async () => {
    const { box, run } = await sandbox();
    expect(box.user).toBe('0:0');
    const result = await run('grep CapEff /proc/self/status; for p in /etc/probe /probe /usr/probe; do if (echo x > "$p") 2>/dev/null; then echo "WROTE $p"; fi; done; echo x > /workspace/ok && echo ok');
    expect(result.stdout).toBe('CapEff:\t0000000000000000\nok\n');
  });

  it('runs as the workspace owner by default and writes files the owner owns', async () => {
    const { box, workspaceDir, run } = await sandbox({ owner: 4321 });
    expect(box.user).toBe('4321:4321');
    const result = await run('id -u; id -g; touch made.txt');
    expect(result.stdout).toBe('4321\n4321\n');
    expect(statSync(join(workspaceDir, 'made.txt')).uid).toBe(4321);
  });

  it('shows no host directory but the workspace: not the user\'s home, not a directory beside the workspace', async () => {
    const outside = makeTempDir('nightshift-outside-');
    writeFileSync(join(outside, 'secret.txt'), 'secret');
    const home = homedir();
    // .bashrc and .profile: /root in the image has its own Debian skeleton copies.
    const homeEntries = readdirSync(home).filter((entry) => !['.bashrc', '.profile'].includes(entry)).slice(0, 50);
    const { run } = await sandbox();
    const paths = [join(outside, 'secret.txt'), outside, ...homeEntries.map((entry) => join(home, entry))];
    expect(paths.every((path) => existsSync(path))).toBe(true);
    const quoted = paths.map((path) => `'${path.replace(/'/g, "'\\''")}'`).join(' ');
    const result = await run(`for p in ${quoted}; do if [ -e "$p" ]; then echo "VISIBLE $p"; fi; done; echo checked`);
    expect(result.stdout).toBe('checked\n');
    if (home !== '/root') expect((await run(`[ -e '${home}' ] && echo VISIBLE || echo absent`)).stdout).toBe('absent\n');
  });

  it('passes a clean environment plus the options\' env, and reports exit code, stdout and stderr apart', async () => {
    const { run } = await sandbox();
    const result = await run('echo "$GREETING"; env | cut -d= -f1 | sort | tr "\\n" " "; echo oops >&2; exit 7', { env: { GREETING: 'hi' } });
    expect(result).toMatchObject({ outcome: 'exited', exitCode: 7, signal: null, stderr: 'oops\n', truncated: false, limitHit: null });
    const [greeting, names] = result.stdout.split('\n');
    expect(greeting).toBe('hi');
    expect(names?.trim().split(' ')).toEqual(['CI', 'GREETING', 'HOME', 'HOSTNAME', 'LANG', 'NO_COLOR', 'PATH', 'PWD', 'PYTHONPYCACHEPREFIX', 'TERM', 'XDG_CACHE_HOME', 'npm_config_cache']);
  });

  it('resolves localhost through /etc/hosts, so a test server on localhost works without any network', async () => {
    const { run } = await sandbox();
    expect((await run('getent hosts localhost')).stdout).toMatch(/^(127\.0\.0\.1|::1)\s+localhost/m);
    const server = [
      'import http.server, threading, urllib.request',
      'server = http.server.HTTPServer(("localhost", 0), http.server.SimpleHTTPRequestHandler)',
      'threading.Thread(target=server.serve_forever, daemon=True).start()',
      'print(urllib.request.urlopen(f"http://localhost:{server.server_address[1]}/", timeout=5).status)',
    ].join('\n');
    expect(await run(`python3 -c '${server}'`)).toMatchObject({ exitCode: 0, stdout: '200\n' });
    // Still nothing outside: no route anywhere but loopback.
    const outside = await run('python3 -c \'import socket; socket.create_connection(("1.1.1.1", 80), timeout=3)\'');
    expect(outside.exitCode).not.toBe(0);
    expect(outside.stderr).toMatch(/Network is unreachable|timed out/);
  });

  it('runs each command in one docker exec, reading the limit counters in it, and leaves no scratch files', async () => {
    const { box, workspaceDir, run } = await sandbox({ owner: 1000 });
    const since = Math.floor(Date.now() / 1000);
    for (const command of ['true', 'exit 3', 'echo ok']) await run(command);
    const until = Math.ceil(Date.now() / 1000) + 1;
    const events = await docker!.getEvents({ since, until, filters: { container: [box.containerId], event: ['exec_create'] } });
    const text = await new Promise<string>((done) => {
      let all = '';
      events.on('data', (chunk: Buffer) => (all += chunk.toString()));
      events.on('end', () => done(all));
    });
    expect(text.trim().split('\n')).toHaveLength(3);
    expect(existsSync(join(workspaceDir, '.nightshift'))).toBe(false);
  });

  it('gives commands writable caches, and vite private writable folders inside a read-only node_modules', async () => {
    const project = makeTempDir('nightshift-deps-');
    const nodeModules = join(project, 'node_modules');
    mkdirSync(join(nodeModules, '.bin'), { recursive: true });
    writeFileSync(join(nodeModules, '.bin', 'hello-tool'), '#!/bin/sh\necho hello from node_modules\n', { mode: 0o755 });
    const deps = join(project, '.nightshift-deps');
    mkdirSync(join(deps, 'greeting'), { recursive: true });
    writeFileSync(join(deps, 'greeting', '__init__.py'), 'WORD = "hi"\n');
    const workspaceDir = makeTempDir('nightshift-docker-');
    symlinkSync(nodeModules, join(workspaceDir, 'node_modules'), 'dir');
    symlinkSync(deps, join(workspaceDir, '.nightshift-deps'), 'dir');
    const box = await createDockerSandbox({ docker: docker!, image: pythonImage, workspaceDir, sessionId: 'deps-session', readOnlyDirs: [nodeModules, deps] });
    onTestFinished(() => box.dispose());
    const run = (command: string) => box.run({ command, workspaceDir, timeoutMs: 20_000, outputLimitBytes: 64 * 1024 });
    const result = await run(
      'hello-tool && python3 -c "import greeting; print(greeting.WORD)" && ' +
        'echo cached > node_modules/.vite-temp/config.mjs && echo cached > node_modules/.vite/results.json && cat node_modules/.vite-temp/config.mjs && ' +
        'mkdir -p "$XDG_CACHE_HOME/x" "$npm_config_cache" && (touch node_modules/new 2>/dev/null && echo WROTE || echo read-only)',
    );
    expect(result).toMatchObject({ exitCode: 0, stdout: 'hello from node_modules\nhi\ncached\nread-only\n' });
    // The private folders hide the host's: nothing was written into the project.
    expect(readdirSync(join(nodeModules, '.vite-temp'))).toEqual([]);
    expect(readdirSync(join(nodeModules, '.vite'))).toEqual([]);
    expect(existsSync(join(deps, 'greeting', '__pycache__'))).toBe(false);
  });

  it('runs in the cwd under the workspace and refuses one outside it or missing', async () => {
    const { workspaceDir, run } = await sandbox();
    mkdirSync(join(workspaceDir, 'sub', 'dir'), { recursive: true });
    expect((await run('pwd', { cwd: 'sub/dir' })).stdout).toBe('/workspace/sub/dir\n');
    expect((await run('pwd', { workspaceDir: join(workspaceDir, 'sub') })).stdout).toBe('/workspace/sub\n');
    const escape = await run('pwd', { cwd: '../..' });
    expect(escape).toMatchObject({ outcome: 'spawn-error', exitCode: null });
    expect(escape.stderr).toContain('outside the workspace');
    expect(await run('pwd', { cwd: 'nope' })).toMatchObject({ outcome: 'spawn-error', stderr: expect.stringContaining('does not exist') });
  });

  it('kills a timed-out command with all its children, detached ones included', async () => {
    const { run } = await sandbox({ owner: 1000 });
    const result = await run('sleep 301 & setsid sleep 302 & (sleep 303; echo never) & sleep 304', { timeoutMs: 1500 });
    expect(result).toMatchObject({ outcome: 'timeout', exitCode: null, signal: 'SIGKILL' });
    expect(result.durationMs).toBeGreaterThanOrEqual(1500);
    expect(result.durationMs).toBeLessThan(8000);
    const left = await run('ps -eo user,args');
    expect(left.stdout).toContain('sleep infinity');
    expect(left.stdout).not.toMatch(/sleep 30[1-4]/);
    // The previous run's watchdog is gone too (it would be `sleep 2.500`).
    expect(left.stdout).not.toContain('sleep 2.500');
  });

  it('returns when the command exits even if a background child holds its output open, and kills that child', async () => {
    const { run } = await sandbox();
    const result = await run('(sleep 300; echo late) & echo early');
    expect(result).toMatchObject({ outcome: 'exited', exitCode: 0, stdout: 'early\n' });
    expect(result.durationMs).toBeLessThan(5000);
    expect((await run('ps -eo args')).stdout).not.toContain('sleep 300');
  });

  it('cancels a running command when the signal aborts', async () => {
    const { run } = await sandbox();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 500);
    const result = await run('sleep 300', { signal: controller.signal });
    expect(result).toMatchObject({ outcome: 'cancelled', exitCode: null, signal: 'SIGKILL' });
    expect(result.durationMs).toBeLessThan(8000);
  });

  it('cuts runaway output per stream and marks it', async () => {
    const { run } = await sandbox();
    const result = await run("head -c 3000000 /dev/zero | tr '\\0' o; head -c 5000 /dev/zero | tr '\\0' e >&2; echo tail", { outputLimitBytes: 1000 });
    expect(result.outcome).toBe('exited');
    expect(result.truncated).toBe(true);
    expect(result.stdout).toBe(`${'o'.repeat(1000)}\n[output truncated at 1000 bytes]`);
    expect(result.stderr).toBe(`${'e'.repeat(1000)}\n[output truncated at 1000 bytes]`);
  });

  it('stops a fork bomb at the pids limit, reports it, and the container keeps working', async () => {
    const { box, run } = await sandbox({ owner: 1000, limits: { pids: 64 } });
    const failing = await run('exit 1');
    expect(failing.limitHit).toBeNull();
    const bomb = await run('f() { f | f; }; f', { timeoutMs: 10_000 });
    expect(bomb.exitCode === 0).toBe(false);
    expect(bomb.limitHit).toBe('pids');
    expect((await run('echo alive')).stdout).toBe('alive\n');
    expect((await docker!.getContainer(box.containerId).inspect()).State.Running).toBe(true);
  });

  it('stops a memory hog at the memory limit and reports it', async () => {
    const { box, run } = await sandbox({ limits: { memoryBytes: 128 * 1024 ** 2 } });
    const hog = await run(`python3 -c 'blocks = []\nwhile True: blocks.append(b"x" * (16 << 20))'`);
    expect(hog.outcome).toBe('exited');
    expect(hog.exitCode).toBe(137);
    expect(hog.limitHit).toBe('memory');
    expect((await run('echo alive')).stdout).toBe('alive\n');
    expect((await docker!.getContainer(box.containerId).inspect()).State.Running).toBe(true);
  });

  it('keeps one warm container per sandbox, reused by every run, and removes it on dispose', async () => {
    const { box, run } = await sandbox();
    const first = await run('hostname; echo "$$"');
    const second = await run('hostname');
    const [firstHost] = first.stdout.split('\n');
    expect(second.stdout.trim()).toBe(firstHost);
    expect(box.containerId.startsWith(firstHost!)).toBe(true);
    const info = await docker!.getContainer(box.containerId).inspect();
    expect(info.Config.Labels).toMatchObject({ 'nightshift.kind': 'sandbox', 'nightshift.session': 'test-session', 'nightshift.pid': String(process.pid) });
    expect(info.HostConfig).toMatchObject({ NetworkMode: 'none', ReadonlyRootfs: true, CapDrop: ['ALL'], SecurityOpt: ['no-new-privileges'], Init: true });
    expect(info.Mounts.map((mount) => mount.Destination).sort()).toEqual(['/workspace']);
    await box.dispose();
    await expect(docker!.getContainer(box.containerId).inspect()).rejects.toMatchObject({ statusCode: 404 });
    expect(await run('true')).toMatchObject({ outcome: 'spawn-error' });
  });

  it('runs a real pytest suite in the Python image', async () => {
    const { workspaceDir, run } = await sandbox();
    createPythonProject({ dir: workspaceDir });
    const result = await run('python3 -m pytest -q -p no:cacheprovider');
    expect(result.stdout).toContain('2 passed');
    expect(result.exitCode).toBe(0);
  });

  it('runs a vitest suite with a TypeScript config in the Node image, node_modules linked read-only: exit 0', async () => {
    const nodeImage = (await ensureSandboxImage({ docker: docker!, stack: 'node' })).image;
    const workspaceDir = makeTempDir('nightshift-docker-');
    const nodeModules = fileURLToPath(new URL('../../../../node_modules', import.meta.url));
    writeVitestProject(workspaceDir, nodeModules);
    const box = await createDockerSandbox({ docker: docker!, image: nodeImage, workspaceDir, sessionId: 'vitest-session', readOnlyDirs: [nodeModules] });
    onTestFinished(() => box.dispose());
    const result = await box.run({ command: 'npx vitest run', workspaceDir, timeoutMs: 90_000, outputLimitBytes: 64 * 1024 });
    expect(result.stdout).toMatch(/Tests\s+2 passed/);
    expect(result.exitCode).toBe(0);
  }, 120_000);

  it('runs Node in the Node image', async () => {
    const nodeImage = (await ensureSandboxImage({ docker: docker!, stack: 'node' })).image;
    const workspaceDir = makeTempDir('nightshift-docker-');
    writeFileSync(join(workspaceDir, 'main.js'), 'console.log(6 * 7)\n');
    const box = await createDockerSandbox({ docker: docker!, image: nodeImage, workspaceDir, sessionId: 'node-session' });
    onTestFinished(() => box.dispose());
    const result = await box.run({ command: 'node main.js && npm --version >/dev/null && echo npm', workspaceDir, timeoutMs: 20_000, outputLimitBytes: 4096 });
    expect(result.stdout).toBe('42\nnpm\n');
  });
});
