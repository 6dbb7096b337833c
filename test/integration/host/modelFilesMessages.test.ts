import { createHash } from 'node:crypto';
import { lstatSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createMainHost, type MainHost } from '../../../src/host/createMainHost.js';
import type { EngineEvent } from '../../../src/shared/engineEventSchema.js';
import type { NightshiftErrorData } from '../../../src/shared/NightshiftErrorData.js';
import type { ModelDownloadState, ProtocolResult } from '../../../src/shared/protocol.js';
import { createTinyGguf } from '../../fixtures/createTinyGguf.js';
import { closedLocalPort } from '../../utils/closedLocalPort.js';
import { makeTempDir } from '../../utils/makeTempDir.js';
import { startModelFileServer } from '../../utils/startModelFileServer.js';

const GIB = 1024 ** 3;
const CHAT_PATH = '/tester/tiny/resolve/main/tiny-chat.gguf';
const CODER_PATH = '/tester/tiny/resolve/main/tiny-coder.gguf';

type DownloadEvent = Extract<EngineEvent, { type: 'models/download' }>;

function ok<T>(result: ProtocolResult<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

function refused<T>(result: ProtocolResult<T>): NightshiftErrorData {
  if (result.ok) throw new Error(`expected a refusal, got ${JSON.stringify(result.value).slice(0, 300)}`);
  return result.error;
}

/** A catalog of two tiny models served from `hf:tester/tiny/...`, and a 16 GB profile that needs both. */
function writeCatalog(path: string, sha256: { chat: string; coder: string }, sizes: { chat: number; coder: number }): void {
  const model = (id: string, sizeBytes: number, sha: string) => ({
    id,
    name: `Tiny ${id}`,
    family: 'tiny',
    source: `hf:tester/tiny/${id}.gguf`,
    quantization: 'F32',
    fileSizeBytes: sizeBytes,
    parameters: '1M',
    trainedContext: 2048,
    goodFor: ['brain', 'coder', 'qa'],
    chatTemplateNotes: 'ChatML.',
    license: 'MIT',
    sha256: sha,
  });
  const role = (id: string) => ({ model: id, contextSize: 1024, gpuLayers: 'max' });
  writeFileSync(
    path,
    JSON.stringify({
      version: 1,
      minimumContext: { brain: 512, coder: 512, qa: 512, embedding: 512 },
      models: [model('tiny-chat', sizes.chat, sha256.chat), model('tiny-coder', sizes.coder, sha256.coder)],
      profiles: [{ id: 'test-16gb', memoryGb: 16, description: 'Two tiny models.', roles: { brain: role('tiny-chat'), coder: role('tiny-coder'), qa: role('tiny-chat') } }],
    }),
  );
}

/** Serves every path with `body`, a slice every 50 ms, so a download takes `durationMs` (no Range support). */
async function startDripServer(body: Uint8Array, durationMs: number): Promise<string> {
  const slices = Math.ceil(durationMs / 50);
  const sliceBytes = Math.ceil(body.length / slices);
  const server = createServer((request, response) => {
    response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length });
    if (request.method === 'HEAD') return response.end();
    let offset = 0;
    const timer = setInterval(() => {
      response.write(body.subarray(offset, offset + sliceBytes));
      offset += sliceBytes;
      if (offset >= body.length) {
        clearInterval(timer);
        response.end();
      }
    }, 50);
    response.on('close', () => clearInterval(timer));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  }));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function setUp(options: { offline?: boolean; dripMs?: number } = {}) {
  const root = makeTempDir();
  const chat = readFileSync(createTinyGguf({ path: join(root, 'chat.gguf'), name: 'chat', embeddingLength: 128 }).path);
  const coder = readFileSync(createTinyGguf({ path: join(root, 'coder.gguf'), name: 'coder' }).path);
  const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
  const catalogPath = join(root, 'models.json');
  writeCatalog(catalogPath, { chat: sha(chat), coder: sha(coder) }, { chat: chat.length, coder: coder.length });
  const server = await startModelFileServer({ files: { [CHAT_PATH]: chat, [CODER_PATH]: coder } });
  onTestFinished(() => server.close());
  const endpoint = options.offline
    ? `http://127.0.0.1:${await closedLocalPort()}`
    : options.dripMs
      ? await startDripServer(chat, options.dripMs)
      : server.origin;
  const host: MainHost = createMainHost({
    dataDir: join(root, 'data'),
    modelFiles: { catalogPath, huggingFaceEndpoint: endpoint, memoryBytes: 16 * GIB },
  });
  onTestFinished(() => host.dispose());
  const events: DownloadEvent[] = [];
  host.onEvent((event) => {
    if (event.type === 'models/download') events.push({ ...event });
  });
  return { root, host, server, events, chat, coder };
}

/** Resolves with the first download event that `match` accepts, among those already seen or still to come. */
async function eventWhere(events: DownloadEvent[], match: (event: DownloadEvent) => boolean, timeoutMs = 10_000): Promise<DownloadEvent> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = events.find(match);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no such event in ${JSON.stringify(events)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('model files messages', () => {
  it('lists an empty store, the profile’s missing models with their sizes, free disk and a reachable source', async () => {
    const { host, chat, coder } = await setUp();
    const listing = ok(await host.handle('models/files/list', {}));
    expect(listing.files).toEqual([]);
    expect(listing.profile).toEqual({
      id: 'test-16gb',
      memoryGb: 16,
      missing: [
        { id: 'tiny-chat', name: 'Tiny tiny-chat', quantization: 'F32', sizeBytes: chat.length, roles: ['brain', 'qa'], notDownloadable: null },
        { id: 'tiny-coder', name: 'Tiny tiny-coder', quantization: 'F32', sizeBytes: coder.length, roles: ['coder'], notDownloadable: null },
      ],
    });
    expect(listing.catalogError).toBeNull();
    expect(listing.downloads).toEqual([]);
    expect(listing.disk.freeBytes).toBeGreaterThan(0);
    expect(listing.source.reachable).toBe(true);
  });

  it('downloads a catalog model with progress events and lists it verified, no longer missing', async () => {
    const { host, events, chat, server } = await setUp();
    // Two quick clicks: one download starts, the other is refused.
    const [first, second] = await Promise.all([
      host.handle('models/files/download', { modelId: 'tiny-chat' }),
      host.handle('models/files/download', { modelId: 'tiny-chat' }),
    ]);
    expect(refused(second).code).toBe('MODEL_DOWNLOAD_STATE');
    const started = ok(first);
    expect(started.modelId).toBe('tiny-chat');
    expect(['running', 'done']).toContain(started.state);
    const done = await eventWhere(events, (event) => event.state === 'done');
    expect(done).toMatchObject({ modelId: 'tiny-chat', receivedBytes: chat.length, totalBytes: chat.length, error: null });
    const running = events.filter((event) => event.state === 'running');
    expect(running.length).toBeGreaterThan(0);
    expect(running.every((event) => event.totalBytes === chat.length && event.receivedBytes <= chat.length)).toBe(true);
    for (let index = 1; index < running.length; index += 1) expect(running[index]!.at).toBeGreaterThanOrEqual(running[index - 1]!.at);
    expect(events.at(-1)).toBe(done);
    expect(server.requests.filter((request) => request.path === CHAT_PATH)).toHaveLength(1);

    const listing = ok(await host.handle('models/files/list', {}));
    expect(listing.files).toEqual([
      expect.objectContaining({ id: 'tiny-chat', name: 'Tiny tiny-chat', sizeBytes: chat.length, quantization: 'F32', verified: true, origin: 'download', present: true }),
    ]);
    expect(listing.profile?.missing.map((model) => model.id)).toEqual(['tiny-coder']);
    expect(listing.downloads).toEqual([]);
    expect(listing.disk.storedBytes).toBe(chat.length);

    const again = ok(await host.handle('models/files/download', { modelId: 'tiny-chat' }));
    expect(again).toMatchObject({ state: 'done', receivedBytes: chat.length });
  });

  it('reports a slow download about four times a second, with speed and time left', async () => {
    const { host, events, chat } = await setUp({ dripMs: 2_000 });
    ok(await host.handle('models/files/download', { modelId: 'tiny-chat' }));
    await eventWhere(events, (event) => event.state === 'done');
    const running = events.filter((event) => event.state === 'running');
    expect(running.length).toBeGreaterThanOrEqual(5);
    expect(running.length).toBeLessThanOrEqual(12);
    for (let index = 1; index < running.length; index += 1) expect(running[index]!.at - running[index - 1]!.at).toBeGreaterThanOrEqual(240);
    const later = running.slice(1);
    expect(later.every((event) => event.bytesPerSecond > 0 && event.secondsLeft !== null)).toBe(true);
    expect(later.at(-1)!.secondsLeft!).toBeLessThan(later[0]!.secondsLeft!);
    expect(later.at(-1)!.receivedBytes).toBeGreaterThan(later[0]!.receivedBytes);
    expect(events.at(-1)).toMatchObject({ state: 'done', receivedBytes: chat.length });
  });

  it('pauses a download keeping its bytes, and resumes it with a Range request to a verified file', async () => {
    const { host, server, events, chat } = await setUp();
    server.behaviour.stallAfterBytes = 65_536;
    expect(ok(await host.handle('models/files/download', { modelId: 'tiny-chat' })).state).toBe('running');
    refused(await host.handle('models/files/download', { modelId: 'tiny-chat' }));
    // The stalled connection has delivered its bytes once the partial file holds them.
    await expect.poll(async () => ok(await host.handle('models/files/list', {})).disk.partialBytes).toBe(65_536);

    const paused = ok(await host.handle('models/files/pause', { modelId: 'tiny-chat' }));
    expect(paused).toMatchObject({ modelId: 'tiny-chat', state: 'paused', receivedBytes: 65_536, totalBytes: chat.length, error: null });
    expect(events.at(-1)).toMatchObject({ state: 'paused', receivedBytes: 65_536 });
    const whilePaused = ok(await host.handle('models/files/list', {}));
    expect(whilePaused.downloads).toEqual([paused]);
    expect(whilePaused.files).toEqual([]);
    expect(refused(await host.handle('models/files/pause', { modelId: 'tiny-chat' })).code).toBe('MODEL_DOWNLOAD_STATE');

    server.behaviour.stallAfterBytes = null;
    ok(await host.handle('models/files/resume', { modelId: 'tiny-chat' }));
    await eventWhere(events, (event) => event.state === 'done');
    expect(server.requests.at(-1)).toMatchObject({ path: CHAT_PATH, range: 'bytes=65536-', status: 206 });
    const listing = ok(await host.handle('models/files/list', {}));
    expect(listing.files).toEqual([expect.objectContaining({ id: 'tiny-chat', verified: true, sizeBytes: chat.length })]);
    expect(Buffer.compare(readFileSync(listing.files[0]!.file), chat)).toBe(0);
    expect(listing.disk.partialBytes).toBe(0);
    expect(listing.downloads).toEqual([]);
  });

  it('cancels a download and deletes what arrived', async () => {
    const { host, server, events } = await setUp();
    server.behaviour.stallAfterBytes = 32_768;
    ok(await host.handle('models/files/download', { modelId: 'tiny-coder' }));
    await expect.poll(async () => ok(await host.handle('models/files/list', {})).disk.partialBytes).toBe(32_768);

    const cancelled: ModelDownloadState = ok(await host.handle('models/files/cancel', { modelId: 'tiny-coder' }));
    expect(cancelled).toMatchObject({ modelId: 'tiny-coder', state: 'cancelled', receivedBytes: 0 });
    expect(events.filter((event) => event.state === 'cancelled')).toHaveLength(1);
    expect(events.at(-1)?.state).toBe('cancelled');
    const listing = ok(await host.handle('models/files/list', {}));
    expect(listing.disk.partialBytes).toBe(0);
    expect(listing.downloads).toEqual([]);
    expect(listing.files).toEqual([]);
    expect(refused(await host.handle('models/files/resume', { modelId: 'tiny-coder' })).code).toBe('MODEL_DOWNLOAD_STATE');
  });

  it('imports a generated GGUF by copy and by link, lists both with the header’s quantization, and deletes them', async () => {
    const { root, host } = await setUp();
    const file = createTinyGguf({ path: join(root, 'Outside Model.gguf'), name: 'outside' });

    const copied = ok(await host.handle('models/files/import', { file: file.path, mode: 'copy' }));
    expect(copied).toMatchObject({ id: 'outside-model', origin: 'copy', sizeBytes: file.sizeBytes, quantization: 'F32', verified: false, name: null, present: true });
    expect(lstatSync(copied.file).isSymbolicLink()).toBe(false);
    const linked = ok(await host.handle('models/files/import', { file: file.path, mode: 'link', modelId: 'tiny-coder' }));
    expect(linked).toMatchObject({ id: 'tiny-coder', origin: 'link', name: 'Tiny tiny-coder', verified: false });
    expect(lstatSync(linked.file).isSymbolicLink()).toBe(true);

    const listing = ok(await host.handle('models/files/list', {}));
    expect(listing.files.map((entry) => [entry.id, entry.origin])).toEqual([
      ['outside-model', 'copy'],
      ['tiny-coder', 'link'],
    ]);
    expect(listing.profile?.missing.map((model) => model.id)).toEqual(['tiny-chat']);
    expect(listing.disk).toMatchObject({ storedBytes: file.sizeBytes, linkedBytes: file.sizeBytes });

    expect(ok(await host.handle('models/files/delete', { modelId: 'outside-model' }))).toEqual({ modelId: 'outside-model', freedBytes: file.sizeBytes });
    expect(ok(await host.handle('models/files/delete', { modelId: 'tiny-coder' }))).toEqual({ modelId: 'tiny-coder', freedBytes: 0 });
    expect(readFileSync(file.path).length).toBe(file.sizeBytes);
    const after = ok(await host.handle('models/files/list', {}));
    expect(after.files).toEqual([]);
    expect(after.disk.storedBytes).toBe(0);
    expect(refused(await host.handle('models/files/delete', { modelId: 'tiny-coder' })).code).toBe('MODEL_NOT_FOUND');
  });

  it('refuses to import a file that is not a GGUF, saying so', async () => {
    const { root, host } = await setUp();
    const notes = join(root, 'notes.gguf');
    writeFileSync(notes, 'just some notes\n');
    const error = refused(await host.handle('models/files/import', { file: notes, mode: 'copy' }));
    expect(error.code).toBe('MODEL_IMPORT_FAILED');
    expect(error.message).toContain('it is not a GGUF file');
    expect(ok(await host.handle('models/files/list', {})).files).toEqual([]);
  });

  it('refuses to download a model the catalog does not have', async () => {
    const { host } = await setUp();
    const error = refused(await host.handle('models/files/download', { modelId: 'gpt-unknown' }));
    expect(error.code).toBe('MODEL_NOT_DOWNLOADABLE');
    expect(error.hint).toContain('tiny-chat');
  });

  it('says when the source cannot be reached, and fails a download with an error that points to import', async () => {
    const { host, events } = await setUp({ offline: true });
    const listing = ok(await host.handle('models/files/list', {}));
    expect(listing.source).toMatchObject({ reachable: false, detail: 'ECONNREFUSED' });
    const error = refused(await host.handle('models/files/download', { modelId: 'tiny-chat' }));
    expect(error.code).toBe('MODEL_SOURCE_OFFLINE');
    expect(error.message).toMatch(/cannot be reached .*looks offline/);
    expect(error.hint).toContain('Import a GGUF');
    expect(events).toEqual([]);
    expect(ok(await host.handle('models/files/list', {})).downloads).toEqual([]);
  });
});
