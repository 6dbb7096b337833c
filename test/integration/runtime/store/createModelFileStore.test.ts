import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { InsufficientDiskError } from '../../../../src/runtime/store/InsufficientDiskError.js';
import { ModelDownloadError } from '../../../../src/runtime/store/ModelDownloadError.js';
import type { ModelPullProgress } from '../../../../src/runtime/store/ModelFileStore.js';
import { ModelIdInvalidError } from '../../../../src/runtime/store/ModelIdInvalidError.js';
import { ModelImportError } from '../../../../src/runtime/store/ModelImportError.js';
import { ModelIntegrityError } from '../../../../src/runtime/store/ModelIntegrityError.js';
import { ModelManifestError } from '../../../../src/runtime/store/ModelManifestError.js';
import { ModelNotFoundError } from '../../../../src/runtime/store/ModelNotFoundError.js';
import { createModelFileStore } from '../../../../src/runtime/store/createModelFileStore.js';
import { createFakeGguf } from '../../../fixtures/createFakeGguf.js';
import { closedLocalPort } from '../../../utils/closedLocalPort.js';
import { makeTempDir } from '../../../utils/makeTempDir.js';
import { startModelFileServer } from '../../../utils/startModelFileServer.js';

const MiB = 1024 * 1024;
const model = createFakeGguf({ sizeBytes: 3 * MiB, seed: 7 });
const path = '/org/repo/resolve/main/tiny.gguf';

const servers: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(files: Record<string, Uint8Array> = { [path]: model.bytes }) {
  const server = await startModelFileServer({ files });
  servers.push(server);
  return server;
}

/** A clock that moves 150 ms each time it is read, so every chunk is reported and rates are finite. */
function steppingClock(): () => number {
  let at = 1_700_000_000_000;
  return () => (at += 150);
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the promise to reject');
    },
    (error: unknown) => error,
  );
}

describe('createModelFileStore pull', () => {
  it('downloads into <dir>/<id>.gguf, reports progress and records the file in the manifest', async () => {
    const server = await serve();
    const dir = join(makeTempDir(), 'models');
    const store = createModelFileStore({ dir, now: steppingClock() });
    const progress: ModelPullProgress[] = [];

    const entry = await store.pull({ id: 'tiny', source: server.url(path), sha256: model.sha256.toUpperCase(), onProgress: (p) => progress.push(p) });

    expect(entry).toMatchObject({ id: 'tiny', path: join(dir, 'tiny.gguf'), sizeBytes: model.bytes.length, sha256: model.sha256, origin: 'download', present: true });
    expect(sha256(readFileSync(join(dir, 'tiny.gguf')))).toBe(model.sha256);
    expect(readdirSync(join(dir, '.partial'))).toEqual([]);
    expect(progress.length).toBeGreaterThan(2);
    expect(progress.at(-1)).toMatchObject({ receivedBytes: model.bytes.length, totalBytes: model.bytes.length });
    expect(progress.at(-1)!.bytesPerSecond).toBeGreaterThan(0);
    for (let index = 1; index < progress.length; index += 1) {
      expect(progress[index]!.receivedBytes).toBeGreaterThanOrEqual(progress[index - 1]!.receivedBytes);
    }
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    expect(manifest).toEqual({ version: 1, models: [expect.objectContaining({ id: 'tiny', source: server.url(path), sha256: model.sha256 })] });
    expect(await store.resolve({ id: 'tiny' })).toBe(join(dir, 'tiny.gguf'));

    const requestsBefore = server.requests.length;
    expect(await store.pull({ id: 'tiny', source: server.url(path) })).toMatchObject({ id: 'tiny', present: true });
    expect(server.requests.length).toBe(requestsBefore);
  });

  it('keeps the partial file when the connection drops and resumes it with a Range request', async () => {
    const server = await serve();
    server.behaviour.dropAfterBytes = Math.floor(1.25 * MiB);
    const dir = makeTempDir();
    const store = createModelFileStore({ dir });

    const error = await rejection(store.pull({ id: 'tiny', source: server.url(path), sha256: model.sha256 }));
    expect(error).toBeInstanceOf(ModelDownloadError);
    expect((error as ModelDownloadError).reason).toBe('interrupted');
    expect((error as ModelDownloadError).hint).toContain('nightshift models pull tiny');
    const partial = join(dir, '.partial', 'tiny.gguf.part');
    const kept = statSync(partial).size;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThanOrEqual(1.25 * MiB);
    expect(Buffer.compare(readFileSync(partial), model.bytes.subarray(0, kept))).toBe(0);
    expect(await store.resolve({ id: 'tiny' })).toBeNull();

    const progress: ModelPullProgress[] = [];
    const entry = await store.pull({ id: 'tiny', source: server.url(path), sha256: model.sha256, onProgress: (p) => progress.push(p) });

    expect(server.requests.at(-1)).toMatchObject({ range: `bytes=${kept}-`, ifRange: '"v1"', status: 206 });
    expect(progress[0]!.receivedBytes).toBe(kept);
    expect(entry.sha256).toBe(model.sha256);
    expect(sha256(readFileSync(join(dir, 'tiny.gguf')))).toBe(model.sha256);
    expect(existsSync(partial)).toBe(false);
  });

  it('finishes a pull that had received the whole file when its process died before the rename', async () => {
    const server = await serve();
    const dir = makeTempDir();
    mkdirSync(join(dir, '.partial'));
    writeFileSync(join(dir, '.partial', 'tiny.gguf.part'), model.bytes);
    writeFileSync(join(dir, '.partial', 'tiny.gguf.part.json'), JSON.stringify({ url: server.url(path), validator: '"v1"', totalBytes: model.bytes.length }));
    const store = createModelFileStore({ dir });

    const entry = await store.pull({ id: 'tiny', source: server.url(path), sha256: model.sha256 });

    expect(server.requests).toEqual([expect.objectContaining({ range: `bytes=${model.bytes.length}-`, status: 416 })]);
    expect(entry).toMatchObject({ sha256: model.sha256, sizeBytes: model.bytes.length, present: true });
    expect(readdirSync(join(dir, '.partial'))).toEqual([]);
  });

  it('discards a partial file that came from another source', async () => {
    const server = await serve();
    const dir = makeTempDir();
    mkdirSync(join(dir, '.partial'));
    writeFileSync(join(dir, '.partial', 'tiny.gguf.part'), model.bytes.subarray(0, 1000));
    writeFileSync(join(dir, '.partial', 'tiny.gguf.part.json'), JSON.stringify({ url: server.url('/elsewhere.gguf'), validator: '"v1"', totalBytes: model.bytes.length }));
    const store = createModelFileStore({ dir });

    const entry = await store.pull({ id: 'tiny', source: server.url(path) });

    expect(server.requests).toEqual([expect.objectContaining({ range: undefined, status: 200 })]);
    expect(entry.sha256).toBe(model.sha256);
  });

  it('starts over when the server ignores Range, without duplicating bytes', async () => {
    const server = await serve();
    server.behaviour.dropAfterBytes = MiB;
    const dir = makeTempDir();
    const store = createModelFileStore({ dir });
    await expect(store.pull({ id: 'tiny', source: server.url(path) })).rejects.toBeInstanceOf(ModelDownloadError);
    server.behaviour.honourRange = false;

    const entry = await store.pull({ id: 'tiny', source: server.url(path) });

    expect(server.requests.at(-1)).toMatchObject({ range: expect.stringMatching(/^bytes=\d+-$/), status: 200 });
    expect(entry.sizeBytes).toBe(model.bytes.length);
    expect(entry.sha256).toBe(model.sha256);
  });

  it('downloads the whole file again when it changed upstream since the partial was kept', async () => {
    const updated = createFakeGguf({ sizeBytes: 3 * MiB, seed: 8 });
    const server = await serve();
    server.behaviour.dropAfterBytes = MiB;
    const store = createModelFileStore({ dir: makeTempDir() });
    await expect(store.pull({ id: 'tiny', source: server.url(path) })).rejects.toBeInstanceOf(ModelDownloadError);
    server.files[path] = updated.bytes;
    server.behaviour.etag = '"v2"';

    const entry = await store.pull({ id: 'tiny', source: server.url(path), sha256: updated.sha256 });

    expect(server.requests.at(-1)).toMatchObject({ ifRange: '"v1"', status: 200 });
    expect(entry.sha256).toBe(updated.sha256);
  });

  it('rejects a file whose sha256 does not match and removes the partial file', async () => {
    const server = await serve();
    const dir = makeTempDir();
    const store = createModelFileStore({ dir });

    const error = await rejection(store.pull({ id: 'tiny', source: server.url(path), sha256: 'ab'.repeat(32) }));

    expect(error).toBeInstanceOf(ModelIntegrityError);
    expect((error as ModelIntegrityError).context).toMatchObject({ check: 'sha256', expected: 'ab'.repeat(32), actual: model.sha256 });
    expect(readdirSync(join(dir, '.partial'))).toEqual([]);
    expect(existsSync(join(dir, 'tiny.gguf'))).toBe(false);
    expect(await store.list()).toEqual([]);
  });

  it('rejects a download that is not a GGUF file when no sha256 is known', async () => {
    const server = await serve({ [path]: Buffer.from('<html>rate limited</html>') });
    const dir = makeTempDir();
    const store = createModelFileStore({ dir });

    const error = await rejection(store.pull({ id: 'tiny', source: server.url(path) }));

    expect(error).toBeInstanceOf(ModelIntegrityError);
    expect((error as ModelIntegrityError).context).toMatchObject({ check: 'magic', actual: '"<htm"' });
    expect(readdirSync(join(dir, '.partial'))).toEqual([]);
  });

  it('refuses before downloading when the server announces a size other than the expected one', async () => {
    const server = await serve();
    const dir = makeTempDir();
    const store = createModelFileStore({ dir });

    const error = await rejection(store.pull({ id: 'tiny', source: server.url(path), expectedSizeBytes: model.bytes.length + 1 }));

    expect(error).toBeInstanceOf(ModelIntegrityError);
    expect((error as ModelIntegrityError).context).toMatchObject({ check: 'size' });
    expect(readdirSync(join(dir, '.partial'))).toEqual([]);
  });

  it('refuses without a request when the expected size does not fit on the disk', async () => {
    const server = await serve();
    const dir = makeTempDir();
    const store = createModelFileStore({ dir, reserveBytes: MiB, statfs: async () => ({ bavail: 512, bsize: 4096 }) });

    const error = await rejection(store.pull({ id: 'tiny', source: server.url(path), expectedSizeBytes: model.bytes.length }));

    expect(error).toBeInstanceOf(InsufficientDiskError);
    expect(error).toMatchObject({ code: 'INSUFFICIENT_DISK', neededBytes: model.bytes.length + MiB, freeBytes: 512 * 4096 });
    expect((error as InsufficientDiskError).message).toMatch(/needs 4\.19 MB and 2\.10 MB is free/);
    expect(server.requests).toEqual([]);
  });

  it('refuses before writing when the size the server announces does not fit on the disk', async () => {
    const server = await serve();
    const dir = makeTempDir();
    const store = createModelFileStore({ dir, reserveBytes: 0, statfs: async () => ({ bavail: 1024, bsize: 1024 }) });

    const error = await rejection(store.pull({ id: 'tiny', source: server.url(path) }));

    expect(error).toBeInstanceOf(InsufficientDiskError);
    expect(error).toMatchObject({ neededBytes: model.bytes.length, freeBytes: MiB });
    expect(server.requests).toHaveLength(1);
    expect(existsSync(join(dir, '.partial', 'tiny.gguf.part'))).toBe(false);
  });

  it('fails fast with the offline advice when nothing answers on the host', async () => {
    const port = await closedLocalPort();
    const store = createModelFileStore({ dir: makeTempDir() });
    const started = Date.now();

    const error = await rejection(store.pull({ id: 'tiny', source: `http://127.0.0.1:${port}/tiny.gguf` }));

    expect(Date.now() - started).toBeLessThan(15_000);
    expect(error).toBeInstanceOf(ModelDownloadError);
    expect(error).toMatchObject({ code: 'MODEL_DOWNLOAD_FAILED', reason: 'offline' });
    expect((error as ModelDownloadError).message).toMatch(/ECONNREFUSED.*looks offline/);
    expect((error as ModelDownloadError).hint).toContain('nightshift models import <file> --id tiny');
  });

  it('reports an HTTP refusal with its status', async () => {
    const server = await serve();
    const store = createModelFileStore({ dir: makeTempDir() });

    const error = await rejection(store.pull({ id: 'tiny', source: server.url('/missing.gguf') }));

    expect(error).toMatchObject({ reason: 'http', context: expect.objectContaining({ status: 404 }) });
    expect((error as ModelDownloadError).hint).toMatch(/does not exist/);
  });

  it('gives up on a stalled transfer and keeps what arrived', async () => {
    const server = await serve();
    server.behaviour.stallAfterBytes = 512 * 1024;
    const dir = makeTempDir();
    const store = createModelFileStore({ dir, stallTimeoutMs: 300 });

    const error = await rejection(store.pull({ id: 'tiny', source: server.url(path) }));

    expect(error).toMatchObject({ reason: 'timeout' });
    expect(statSync(join(dir, '.partial', 'tiny.gguf.part')).size).toBe(512 * 1024);
  });

  it('stops when cancelled, keeps the partial file, and refuses a second pull of the same id meanwhile', async () => {
    const server = await serve();
    server.behaviour.stallAfterBytes = 256 * 1024;
    const dir = makeTempDir();
    const store = createModelFileStore({ dir });
    const controller = new AbortController();
    const partial = join(dir, '.partial', 'tiny.gguf.part');
    const first = store.pull({ id: 'tiny', source: server.url(path), signal: controller.signal });
    while (!existsSync(partial) || statSync(partial).size < 256 * 1024) await new Promise((resolve) => setTimeout(resolve, 10));
    const second = await rejection(store.pull({ id: 'tiny', source: server.url(path) }));
    expect(second).toMatchObject({ reason: 'busy' });
    expect((second as ModelDownloadError).message).toContain(`process ${process.pid}`);
    const started = Date.now();
    controller.abort();

    const error = await rejection(first);
    expect(Date.now() - started).toBeLessThan(15_000);

    expect(error).toMatchObject({ reason: 'aborted' });
    expect(statSync(partial).size).toBe(256 * 1024);
    expect(existsSync(join(dir, '.partial', 'tiny.lock'))).toBe(false);
  });

  it('takes over the lock of a pull whose process is gone', async () => {
    const server = await serve();
    const dir = makeTempDir();
    const store = createModelFileStore({ dir });
    mkdirSync(join(dir, '.partial'));
    writeFileSync(join(dir, '.partial', 'tiny.lock'), '999999999');

    await expect(store.pull({ id: 'tiny', source: server.url(path) })).resolves.toMatchObject({ present: true });
  });

  it('rejects ids that cannot be file names and malformed sources', async () => {
    const store = createModelFileStore({ dir: makeTempDir() });
    await expect(store.pull({ id: '../escape', source: 'hf:a/b/c.gguf' })).rejects.toBeInstanceOf(ModelIdInvalidError);
    await expect(store.pull({ id: 'ok', source: 'hf:a/b' })).rejects.toMatchObject({ code: 'MODEL_SOURCE_INVALID' });
    await expect(store.pull({ id: 'ok', source: 'hf:a/b/c.gguf', sha256: 'xyz' })).rejects.toMatchObject({ code: 'MODEL_SOURCE_INVALID' });
  });
});

describe('createModelFileStore import, list, remove and disk usage', () => {
  it('imports by copy and by link, rejects files without the GGUF magic, and accounts for every byte', async () => {
    const root = makeTempDir();
    const dir = join(root, 'models');
    const store = createModelFileStore({ dir });
    const copySource = join(root, 'copied.gguf');
    const linkSource = join(root, 'linked.gguf');
    const other = createFakeGguf({ sizeBytes: MiB, seed: 3 });
    writeFileSync(copySource, model.bytes);
    writeFileSync(linkSource, other.bytes);
    writeFileSync(join(root, 'notes.gguf'), 'just text, not a model');
    writeFileSync(join(root, 'empty.gguf'), '');

    for (const mode of ['copy', 'link'] as const) {
      const bad = await rejection(store.import({ id: 'bad', path: join(root, 'notes.gguf'), mode }));
      expect(bad).toBeInstanceOf(ModelImportError);
      expect((bad as ModelImportError).message).toContain('not a GGUF file (it starts with "just")');
    }
    await expect(store.import({ id: 'bad', path: join(root, 'empty.gguf'), mode: 'copy' })).rejects.toThrow(/the file is empty/);
    await expect(store.import({ id: 'bad', path: join(root, 'absent.gguf'), mode: 'copy' })).rejects.toThrow(/does not exist/);
    expect(await store.list()).toEqual([]);

    const copied = await store.import({ id: 'copied', path: copySource, mode: 'copy' });
    const linked = await store.import({ id: 'linked', path: linkSource, mode: 'link' });
    expect(copied).toMatchObject({ origin: 'copy', sizeBytes: model.bytes.length, source: copySource, sha256: null, present: true });
    expect(linked).toMatchObject({ origin: 'link', sizeBytes: MiB, source: linkSource, present: true });
    expect(lstatSync(join(dir, 'linked.gguf')).isSymbolicLink()).toBe(true);
    expect(lstatSync(join(dir, 'copied.gguf')).isSymbolicLink()).toBe(false);

    const server = await serve();
    server.behaviour.dropAfterBytes = 1000 * 1000;
    await expect(store.pull({ id: 'partial', source: server.url(path) })).rejects.toBeInstanceOf(ModelDownloadError);
    const partialBytes = statSync(join(dir, '.partial', 'partial.gguf.part')).size;

    const usage = await store.diskUsage();
    expect(usage).toMatchObject({ storedBytes: model.bytes.length, linkedBytes: MiB, partialBytes });
    expect(usage.freeBytes).toBeGreaterThan(0);
    expect((await store.list()).map((entry) => entry.id)).toEqual(['copied', 'linked']);

    rmSync(copySource);
    rmSync(linkSource);
    expect(await store.resolve({ id: 'copied' })).toBe(join(dir, 'copied.gguf'));
    expect(await store.resolve({ id: 'linked' })).toBeNull();
    expect((await store.list()).map((entry) => [entry.id, entry.present])).toEqual([
      ['copied', true],
      ['linked', false],
    ]);

    expect(await store.remove({ id: 'copied' })).toEqual({ freedBytes: model.bytes.length });
    expect(await store.remove({ id: 'linked' })).toEqual({ freedBytes: 0 });
    expect(await store.remove({ id: 'partial' })).toEqual({ freedBytes: partialBytes });
    await expect(store.remove({ id: 'copied' })).rejects.toBeInstanceOf(ModelNotFoundError);
    expect(await store.list()).toEqual([]);
    expect(await store.diskUsage()).toMatchObject({ storedBytes: 0, linkedBytes: 0, partialBytes: 0 });
    expect(readdirSync(dir).sort()).toEqual(['.partial', 'manifest.json']);
  });

  it('records a file already in place after the manifest was lost', async () => {
    const dir = makeTempDir();
    writeFileSync(join(dir, 'kept.gguf'), model.bytes);
    const store = createModelFileStore({ dir });

    const entry = await store.import({ id: 'kept', path: join(dir, 'kept.gguf'), mode: 'link' });

    expect(entry).toMatchObject({ origin: 'copy', present: true, sizeBytes: model.bytes.length });
    expect(sha256(readFileSync(join(dir, 'kept.gguf')))).toBe(model.sha256);
  });

  it('refuses a manifest it cannot read instead of overwriting it', async () => {
    const dir = makeTempDir();
    writeFileSync(join(dir, 'manifest.json'), '{"version":1,"models":[{"id":"x"}]}');
    const store = createModelFileStore({ dir });

    await expect(store.list()).rejects.toBeInstanceOf(ModelManifestError);
    writeFileSync(join(dir, 'copied.gguf.src'), model.bytes);
    await expect(store.import({ id: 'y', path: join(dir, 'copied.gguf.src'), mode: 'copy' })).rejects.toBeInstanceOf(ModelManifestError);
    expect(readFileSync(join(dir, 'manifest.json'), 'utf8')).toBe('{"version":1,"models":[{"id":"x"}]}');
  });
});
