import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createMainHost, type MainHost } from '../../../src/host/createMainHost.js';
import { ApiCallError } from '../../../src/renderer/api/ApiCallError.js';
import type { NightshiftApi } from '../../../src/renderer/api/NightshiftApi.js';
import { ModelFilesState } from '../../../src/renderer/state/ModelFilesState.svelte.js';
import type { ProtocolName, ProtocolRequest, ProtocolResponse } from '../../../src/shared/protocol.js';
import { createTinyGguf } from '../../fixtures/createTinyGguf.js';
import { closedLocalPort } from '../../utils/closedLocalPort.js';
import { makeTempDir } from '../../utils/makeTempDir.js';
import { startModelFileServer } from '../../utils/startModelFileServer.js';

/** The renderer's api over a host, with the same JSON round trip and error rebuilding as the real clients. */
function apiOver(host: MainHost): NightshiftApi {
  return {
    async invoke<K extends ProtocolName>(name: K, request: ProtocolRequest<K>): Promise<ProtocolResponse<K>> {
      const result = JSON.parse(JSON.stringify(await host.handle(name, request))) as Parameters<typeof ApiCallError.unwrap>[1];
      return ApiCallError.unwrap(name, result) as ProtocolResponse<K>;
    },
    onEvent: (listener) => host.onEvent((event) => listener(JSON.parse(JSON.stringify(event)))),
  };
}

/** A real host over a temp data dir whose catalog has one model, `tiny-chat`, served by a local file server. */
async function setUp(options: { offline?: boolean } = {}) {
  const root = makeTempDir();
  const chat = readFileSync(createTinyGguf({ path: join(root, 'chat.gguf'), name: 'chat' }).path);
  const catalogPath = join(root, 'models.json');
  const role = { model: 'tiny-chat', contextSize: 1024, gpuLayers: 'max' };
  writeFileSync(
    catalogPath,
    JSON.stringify({
      version: 1,
      minimumContext: { brain: 512, coder: 512, qa: 512, embedding: 512 },
      models: [
        {
          id: 'tiny-chat',
          name: 'Tiny chat',
          family: 'tiny',
          source: 'hf:tester/tiny/tiny-chat.gguf',
          quantization: 'F32',
          fileSizeBytes: chat.length,
          parameters: '1M',
          trainedContext: 2048,
          goodFor: ['brain', 'coder', 'qa'],
          chatTemplateNotes: 'ChatML.',
          license: 'MIT',
          sha256: createHash('sha256').update(chat).digest('hex'),
        },
      ],
      profiles: [{ id: 'tiny-16gb', memoryGb: 16, description: 'One tiny model.', roles: { brain: role, coder: role, qa: role } }],
    }),
  );
  const server = await startModelFileServer({ files: { '/tester/tiny/resolve/main/tiny-chat.gguf': chat } });
  onTestFinished(() => server.close());
  const host = createMainHost({
    dataDir: join(root, 'data'),
    modelFiles: {
      catalogPath,
      huggingFaceEndpoint: options.offline ? `http://127.0.0.1:${await closedLocalPort()}` : server.origin,
      memoryBytes: 16 * 1024 ** 3,
    },
  });
  onTestFinished(() => host.dispose());
  const files = new ModelFilesState({ api: apiOver(host) });
  onTestFinished(files.attach());
  return { root, host, server, files, chat };
}

describe('ModelFilesState', () => {
  it('loads the store, the profile’s missing model and the source’s reachability', async () => {
    const { files, chat } = await setUp();
    expect(files.listing).toBeNull();
    await files.load();
    expect(files.loading).toBe(false);
    expect(files.offline).toBe(false);
    expect(files.listing?.files).toEqual([]);
    expect(files.listing?.profile?.missing).toEqual([expect.objectContaining({ id: 'tiny-chat', sizeBytes: chat.length, roles: ['brain', 'coder', 'qa'] })]);
  });

  it('follows a download through its events to the listed, verified file', async () => {
    const { files, server } = await setUp();
    await files.load();
    server.behaviour.stallAfterBytes = 16_384;
    expect(await files.download('tiny-chat')).toBe(true);
    expect(files.downloads['tiny-chat']?.state).toBe('running');
    expect(files.downloadList.map((download) => download.modelId)).toEqual(['tiny-chat']);
    await expect
      .poll(async () => {
        await files.load();
        return files.listing?.disk.partialBytes;
      })
      .toBe(16_384);

    expect(await files.pause('tiny-chat')).toBe(true);
    expect(files.downloads['tiny-chat']).toMatchObject({ state: 'paused', receivedBytes: 16_384 });
    server.behaviour.stallAfterBytes = null;
    expect(await files.resume('tiny-chat')).toBe(true);
    await expect.poll(() => files.listing?.files.map((file) => [file.id, file.verified])).toEqual([['tiny-chat', true]]);
    expect(files.downloads).toEqual({});
    expect(files.listing?.profile?.missing).toEqual([]);
  });

  it('cancels a paused download and forgets it', async () => {
    const { files, server } = await setUp();
    server.behaviour.stallAfterBytes = 16_384;
    await files.download('tiny-chat');
    await files.pause('tiny-chat');
    expect(await files.cancel('tiny-chat')).toBe(true);
    expect(files.downloads).toEqual({});
    expect(files.listing?.disk.partialBytes).toBe(0);
  });

  it('imports a GGUF by link, clears the form and lists it; a refused import keeps the form and says why', async () => {
    const { root, files } = await setUp();
    const gguf = createTinyGguf({ path: join(root, 'Mine.gguf'), name: 'mine' });
    files.importDraft = { file: gguf.path, mode: 'link', modelId: '' };
    expect(await files.importFile()).toBe(true);
    expect(files.importDraft).toEqual({ file: '', mode: 'link', modelId: '' });
    expect(files.listing?.files).toEqual([expect.objectContaining({ id: 'mine', origin: 'link', quantization: 'F32' })]);

    const text = join(root, 'readme.txt');
    writeFileSync(text, 'not a model\n');
    files.importDraft = { file: text, mode: 'copy', modelId: 'readme' };
    expect(await files.importFile()).toBe(false);
    expect(files.importError?.code).toBe('MODEL_IMPORT_FAILED');
    expect(files.importDraft.file).toBe(text);
    expect(files.listing?.files).toHaveLength(1);
  });

  it('deletes only after confirmation and tells how much space it freed', async () => {
    const { root, files } = await setUp();
    const gguf = createTinyGguf({ path: join(root, 'mine.gguf'), name: 'mine' });
    files.importDraft = { file: gguf.path, mode: 'copy', modelId: '' };
    await files.importFile();

    files.askDelete('mine');
    files.keep();
    expect(await files.confirmDelete()).toBe(false);
    expect(files.listing?.files).toHaveLength(1);

    files.askDelete('mine');
    expect(files.confirmingDelete).toBe('mine');
    expect(await files.confirmDelete()).toBe(true);
    expect(files.lastDeleted).toEqual({ modelId: 'mine', freedBytes: gguf.sizeBytes });
    expect(files.confirmingDelete).toBeNull();
    expect(files.listing?.files).toEqual([]);
  });

  it('is offline when the source cannot be reached, and a download says to import instead', async () => {
    const { files } = await setUp({ offline: true });
    await files.load();
    expect(files.offline).toBe(true);
    expect(await files.download('tiny-chat')).toBe(false);
    expect(files.error).toMatchObject({ code: 'MODEL_SOURCE_OFFLINE' });
    expect(files.error?.hint).toContain('Import a GGUF');
    expect(files.downloads).toEqual({});
    files.dismissError();
    expect(files.error).toBeNull();
  });

  it('ignores events that are not about downloads', async () => {
    const { files } = await setUp();
    files.receive({ type: 'log', at: 1, level: 'info', message: 'hello' });
    files.receive({ type: 'models/download', at: 2, modelId: 'x', state: 'failed', receivedBytes: 5, totalBytes: 10, bytesPerSecond: 0, secondsLeft: null, error: { code: 'E', message: 'm', hint: 'h' } });
    expect(files.downloads).toEqual({ x: { modelId: 'x', state: 'failed', receivedBytes: 5, totalBytes: 10, bytesPerSecond: 0, secondsLeft: null, error: { code: 'E', message: 'm', hint: 'h' } } });
    files.receive({ type: 'models/download', at: 3, modelId: 'x', state: 'cancelled', receivedBytes: 0, totalBytes: 10, bytesPerSecond: 0, secondsLeft: null, error: null });
    expect(files.downloads).toEqual({});
  });
});
