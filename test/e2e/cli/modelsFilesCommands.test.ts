import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFakeGguf } from '../../fixtures/createFakeGguf.js';
import { closedLocalPort } from '../../utils/closedLocalPort.js';
import { makeTempDir } from '../../utils/makeTempDir.js';
import { runCliAsync } from '../../utils/runCliAsync.js';
import { startModelFileServer } from '../../utils/startModelFileServer.js';

const model = createFakeGguf({ sizeBytes: 3 * 1024 * 1024, seed: 11 });
const path = '/org/repo/resolve/main/tiny.gguf';

const servers: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

describe('nightshift models list|pull|import|rm', () => {
  it('pulls from a URL with progress, lists as JSON, imports, and removes', async () => {
    const server = await startModelFileServer({ files: { [path]: model.bytes } });
    servers.push(server);
    const root = makeTempDir();
    const dataDir = join(root, 'data');

    const pulled = await runCliAsync({ args: ['models', 'pull', 'tiny', '--source', server.url(path), '--sha256', model.sha256, '--data-dir', dataDir] });
    expect(pulled.code, pulled.stderr).toBe(0);
    expect(pulled.stdout).toContain(`Pulled tiny: ${join(dataDir, 'models', 'tiny.gguf')} (3.15 MB, sha256 ${model.sha256})`);
    expect(pulled.stderr).toMatch(/100\.0%\s+3\.15 MB \/ 3\.15 MB\s+[\d.]+ [kMG]?B\/s/);
    expect(createHash('sha256').update(readFileSync(join(dataDir, 'models', 'tiny.gguf'))).digest('hex')).toBe(model.sha256);

    const other = createFakeGguf({ sizeBytes: 1024 * 1024, seed: 12 });
    writeFileSync(join(root, 'Other Model.Q4.gguf'), other.bytes);
    writeFileSync(join(root, 'readme.gguf'), 'not a model');
    const refused = await runCliAsync({ args: ['models', 'import', join(root, 'readme.gguf'), '--data-dir', dataDir] });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('not a GGUF file');
    const imported = await runCliAsync({ args: ['models', 'import', join(root, 'Other Model.Q4.gguf'), '--link', '--json', '--data-dir', dataDir] });
    expect(imported.code, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ id: 'other-model.q4', origin: 'link', sizeBytes: other.bytes.length });

    const listed = await runCliAsync({ args: ['models', 'list', '--json', '--data-dir', dataDir] });
    expect(listed.code, listed.stderr).toBe(0);
    const list = JSON.parse(listed.stdout);
    expect(list.dir).toBe(join(dataDir, 'models'));
    expect(list.models).toEqual([
      expect.objectContaining({ id: 'other-model.q4', origin: 'link', present: true }),
      expect.objectContaining({ id: 'tiny', origin: 'download', source: server.url(path), sha256: model.sha256, sizeBytes: model.bytes.length, present: true }),
    ]);
    expect(list.diskUsage).toMatchObject({ storedBytes: model.bytes.length, linkedBytes: other.bytes.length, partialBytes: 0 });

    const human = await runCliAsync({ args: ['models', 'list', '--data-dir', dataDir] });
    expect(human.stdout).toMatch(/^tiny\s+3\.15 MB\s+download\s+http:\/\/127\.0\.0\.1/m);

    const removed = await runCliAsync({ args: ['models', 'rm', 'tiny', '--json', '--data-dir', dataDir] });
    expect(removed.code, removed.stderr).toBe(0);
    expect(JSON.parse(removed.stdout)).toEqual({ id: 'tiny', freedBytes: model.bytes.length });
    expect(existsSync(join(dataDir, 'models', 'tiny.gguf'))).toBe(false);
    const again = await runCliAsync({ args: ['models', 'rm', 'tiny', '--data-dir', dataDir] });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('No model "tiny"');
  });

  it('takes the source and SHA-256 of `pull <id>` from the catalog, with the user override file and HF_ENDPOINT', async () => {
    const server = await startModelFileServer({ files: { [path]: model.bytes } });
    servers.push(server);
    const dataDir = makeTempDir();
    const entry = {
      id: 'tiny-test',
      name: 'Tiny test model',
      family: 'tiny-test',
      source: 'hf:org/repo/tiny.gguf',
      quantization: 'Q4_K_M',
      fileSizeBytes: model.bytes.length,
      parameters: '1B',
      trainedContext: 4096,
      goodFor: ['coder'],
      chatTemplateNotes: 'none',
      license: 'MIT',
      sha256: model.sha256,
    };
    writeFileSync(join(dataDir, 'models.json'), JSON.stringify({ models: [entry, { ...entry, id: 'tiny-wrong', sha256: 'ab'.repeat(32) }] }));
    const env = { HF_ENDPOINT: server.origin };

    const wrong = await runCliAsync({ args: ['models', 'pull', 'tiny-wrong', '--data-dir', dataDir], env });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('SHA-256 does not match');
    const pulled = await runCliAsync({ args: ['models', 'pull', 'tiny-test', '--json', '--data-dir', dataDir], env });
    expect(pulled.code, pulled.stderr).toBe(0);
    expect(pulled.stderr).toContain(`Pulling tiny-test from ${server.url(path)}`);
    expect(JSON.parse(pulled.stdout)).toMatchObject({ id: 'tiny-test', source: 'hf:org/repo/tiny.gguf', sha256: model.sha256, origin: 'download' });
    const unknown = await runCliAsync({ args: ['models', 'pull', 'not-in-catalog', '--data-dir', dataDir], env });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Model "not-in-catalog" is not in the catalog');
    expect(server.requests.map((request) => request.path)).toEqual([path, path]);
  });

  it('fails fast and points to import when the source cannot be reached', async () => {
    const port = await closedLocalPort();
    const dataDir = join(makeTempDir(), 'data');

    const result = await runCliAsync({ args: ['models', 'pull', 'tiny', '--source', `http://127.0.0.1:${port}/tiny.gguf`, '--data-dir', dataDir] });

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('this machine looks offline');
    expect(result.stderr).toContain('nightshift models import <file> --id tiny');
  });
});
