import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadModelCatalog } from '../../../../src/runtime/catalog/loadModelCatalog.js';
import { ModelCatalogError } from '../../../../src/runtime/catalog/ModelCatalogError.js';
import { makeTempDir } from '../../../utils/makeTempDir.js';

const architecture = { blockCount: 28, kvHeads: 4, headDim: 128, headCount: 28, vocabSize: 152064 };

/** A small valid catalog: one coder model, one embedding model, one 16 GB profile. */
function baseCatalog() {
  return {
    version: 1,
    minimumContext: { brain: 8192, coder: 16384, qa: 8192, embedding: 512 },
    models: [
      {
        id: 'coder-7b-q4km',
        name: 'Coder 7B',
        family: 'coder-7b',
        source: 'hf:someone/Coder-7B-GGUF/Coder-7B-Q4_K_M.gguf',
        quantization: 'Q4_K_M',
        fileSizeBytes: 4_680_000_000,
        parameters: '7.6B',
        trainedContext: 32768,
        goodFor: ['brain', 'coder', 'qa'],
        chatTemplateNotes: 'ChatML',
        license: 'Apache-2.0',
        architecture,
      },
      {
        id: 'embed-q8',
        name: 'Embed',
        family: 'embed',
        source: 'hf:someone/Embed-GGUF/embed.Q8_0.gguf',
        quantization: 'Q8_0',
        fileSizeBytes: 146_000_000,
        parameters: '137M',
        trainedContext: 2048,
        goodFor: ['embedding'],
        chatTemplateNotes: 'none',
        license: 'Apache-2.0',
      },
    ],
    profiles: [
      {
        id: 'small',
        memoryGb: 16,
        description: 'small',
        roles: {
          brain: { model: 'coder-7b-q4km', contextSize: 8192, gpuLayers: 'max' },
          coder: { model: 'coder-7b-q4km', contextSize: 16384, gpuLayers: 'max', priority: 10 },
          qa: { model: 'coder-7b-q4km', contextSize: 8192, gpuLayers: 'max' },
        },
      },
    ],
  };
}

function write(dir: string, name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

async function loadError(options: Parameters<typeof loadModelCatalog>[0]): Promise<ModelCatalogError> {
  const error: unknown = await loadModelCatalog(options).then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ModelCatalogError);
  return error as ModelCatalogError;
}

describe('loadModelCatalog', () => {
  it('loads the shipped models.json, whose profiles cover every tier from 16 to 192 GB', async () => {
    const catalog = await loadModelCatalog();
    expect(catalog.profiles.map((profile) => profile.memoryGb)).toEqual([16, 24, 32, 36, 48, 64, 96, 128, 192]);
    expect(catalog.minimumContext).toEqual({ brain: 8192, coder: 16384, qa: 8192, embedding: 512 });
    for (const model of catalog.models) {
      expect(model.source).toMatch(/^hf:[^/]+\/[^/]+\/.+\.gguf$/);
      expect(model.architecture, model.id).toBeDefined();
    }
    expect(catalog.models.some((model) => model.goodFor.includes('embedding'))).toBe(true);
    expect(catalog.profiles.find((profile) => profile.id === 'mac-16gb')!.roles.coder.pinned).toBe(false);
  });

  it('applies defaults to role assignments', async () => {
    const dir = makeTempDir();
    const catalog = await loadModelCatalog({ path: write(dir, 'models.json', baseCatalog()) });
    expect(catalog.profiles[0]!.roles.brain).toEqual({ model: 'coder-7b-q4km', contextSize: 8192, gpuLayers: 'max', pinned: false, priority: 0, onDemand: false });
  });

  it('names the file and every JSON path that does not fit the schema', async () => {
    const dir = makeTempDir();
    const bad = baseCatalog() as Record<string, unknown> & ReturnType<typeof baseCatalog>;
    (bad.models[0] as Record<string, unknown>).fileSizeBytes = -1;
    (bad.models[0] as Record<string, unknown>).sha256 = 'not-a-hash';
    (bad.models[1] as Record<string, unknown>).source = 'https://example.com/embed.gguf';
    (bad.profiles[0]!.roles.coder as Record<string, unknown>).gpuLayers = 'auto';
    bad.extra = true;
    const path = write(dir, 'models.json', bad);
    const error = await loadError({ path });
    expect(error.code).toBe('MODEL_CATALOG_INVALID');
    expect(error.message.startsWith(`Invalid model catalog ${path}: `)).toBe(true);
    for (const fragment of ['$.models[0].fileSizeBytes', '$.models[0].sha256', '$.models[1].source', '$.profiles[0].roles.coder.gpuLayers', '"extra"']) {
      expect(error.message).toContain(fragment);
    }
  });

  it('checks profiles against the models: unknown ids, contexts below the role minimum or above the trained context', async () => {
    const dir = makeTempDir();
    const bad = baseCatalog();
    bad.profiles[0]!.roles.qa = { model: 'missing-model', contextSize: 8192, gpuLayers: 'max' };
    bad.profiles[0]!.roles.coder.contextSize = 4096;
    bad.profiles[0]!.roles.brain.contextSize = 65536;
    const error = await loadError({ path: write(dir, 'models.json', bad) });
    expect(error.message).toContain('$.profiles[0].roles.qa.model: unknown model "missing-model"');
    expect(error.message).toContain('$.profiles[0].roles.coder.contextSize: 4096 is below the coder minimum of 16384 tokens');
    expect(error.message).toContain("$.profiles[0].roles.brain.contextSize: 65536 exceeds coder-7b-q4km's trained context of 32768 tokens");
  });

  it('rejects duplicate ids and a role that is both pinned and on demand', async () => {
    const dir = makeTempDir();
    const bad = baseCatalog();
    bad.models.push({ ...bad.models[1]! });
    bad.profiles[0]!.roles.qa = { model: 'coder-7b-q4km', contextSize: 8192, gpuLayers: 'max', pinned: true, onDemand: true } as never;
    const error = await loadError({ path: write(dir, 'models.json', bad) });
    expect(error.message).toContain('$.models[2].id: duplicate model id "embed-q8"');
    expect(error.message).toContain('$.profiles[0].roles.qa.onDemand');
  });

  it('reports unreadable files and invalid JSON', async () => {
    const dir = makeTempDir();
    expect((await loadError({ path: join(dir, 'missing.json') })).message).toMatch(/missing\.json: cannot read it \(ENOENT\)/);
    expect((await loadError({ path: write(dir, 'broken.json', '{ "models": ') })).message).toMatch(/broken\.json: not valid JSON/);
    const base = write(dir, 'models.json', baseCatalog());
    mkdirSync(join(dir, 'a-directory.json'));
    expect((await loadError({ path: base, overrides: [join(dir, 'a-directory.json')] })).message).toMatch(/a-directory\.json: cannot read it \(EISDIR\)/);
    const fileAsParent = write(dir, 'plain-file', 'x');
    expect((await loadError({ path: base, overrides: [join(fileAsParent, 'models.json')] })).message).toMatch(/cannot read it \(ENOTDIR\)/);
  });

  it('skips override files that do not exist', async () => {
    const dir = makeTempDir();
    const base = write(dir, 'models.json', baseCatalog());
    const catalog = await loadModelCatalog({ path: base, overrides: [join(dir, 'nowhere', 'models.json')] });
    expect(catalog.models.map((model) => model.id)).toEqual(['coder-7b-q4km', 'embed-q8']);
  });

  it('merges overrides by model and profile id, later files winning, and adds new entries', async () => {
    const dir = makeTempDir();
    const base = write(dir, 'models.json', baseCatalog());
    const global = write(dir, 'global.json', {
      models: [
        { id: 'coder-7b-q4km', source: '~/models/coder-7b.gguf', architecture: { vocabSize: 151936 } },
        { ...baseCatalog().models[0], id: 'coder-7b-q8', quantization: 'Q8_0', fileSizeBytes: 8_100_000_000 },
      ],
      profiles: [{ id: 'small', roles: { coder: { contextSize: 24576 } } }],
    });
    const project = write(dir, 'project.json', {
      minimumContext: { qa: 4096 },
      profiles: [
        { id: 'small', roles: { coder: { model: 'coder-7b-q8' }, qa: { contextSize: 4096 } } },
        {
          id: 'big',
          memoryGb: 64,
          description: 'added by the project',
          roles: {
            brain: { model: 'coder-7b-q8', contextSize: 8192, gpuLayers: 'max' },
            coder: { model: 'coder-7b-q8', contextSize: 32768, gpuLayers: 'max' },
            qa: { model: 'coder-7b-q4km', contextSize: 8192, gpuLayers: 'max' },
          },
        },
      ],
    });
    const catalog = await loadModelCatalog({ path: base, overrides: [global, project] });
    const coder = catalog.models.find((model) => model.id === 'coder-7b-q4km')!;
    expect(coder.source).toBe('~/models/coder-7b.gguf');
    expect(coder.fileSizeBytes).toBe(4_680_000_000);
    expect(coder.architecture).toEqual({ ...architecture, vocabSize: 151936 });
    expect(catalog.models.map((model) => model.id)).toEqual(['coder-7b-q4km', 'embed-q8', 'coder-7b-q8']);
    const small = catalog.profiles.find((profile) => profile.id === 'small')!;
    expect(small.roles.coder).toMatchObject({ model: 'coder-7b-q8', contextSize: 24576, priority: 10 });
    expect(small.roles.qa.contextSize).toBe(4096);
    expect(small.roles.brain).toMatchObject({ model: 'coder-7b-q4km', contextSize: 8192 });
    expect(catalog.minimumContext).toEqual({ brain: 8192, coder: 16384, qa: 4096, embedding: 512 });
    expect(catalog.profiles.map((profile) => profile.id)).toEqual(['small', 'big']);
  });

  it("names the override file and its own JSON path when the override's shape is wrong", async () => {
    const dir = makeTempDir();
    const base = write(dir, 'models.json', baseCatalog());
    const override = write(dir, 'nightshift.models.json', { models: [{ fileSizeBytes: 5 }], profiles: [{ id: 'small', roles: { coder: { contextSize: 'big' } } }] });
    const error = await loadError({ path: base, overrides: [override] });
    expect(error.message.startsWith(`Invalid model catalog ${override}: `)).toBe(true);
    expect(error.message).toContain('$.models[0].id');
    expect(error.message).toContain('$.profiles[0].roles.coder.contextSize');
    expect(error.context).toMatchObject({ path: override });
  });

  it('blames the override that broke the merged catalog, naming the model or profile', async () => {
    const dir = makeTempDir();
    const base = write(dir, 'models.json', baseCatalog());
    const harmless = write(dir, 'global.json', { models: [{ id: 'embed-q8', license: 'MIT' }] });
    const incomplete = write(dir, 'incomplete.json', { models: [{ id: 'new-model', name: 'New' }] });
    const incompleteError = await loadError({ path: base, overrides: [harmless, incomplete] });
    expect(incompleteError.context).toMatchObject({ path: incomplete });
    expect(incompleteError.message).toContain('$.models[2].family (model "new-model")');
    expect(incompleteError.message).not.toContain(harmless);

    const tooSmall = write(dir, 'project.json', { profiles: [{ id: 'small', roles: { coder: { contextSize: 1024 } } }] });
    const tooSmallError = await loadError({ path: base, overrides: [harmless, tooSmall] });
    expect(tooSmallError.context).toMatchObject({ path: tooSmall });
    expect(tooSmallError.message).toContain('$.profiles[0].roles.coder.contextSize (profile "small"): 1024 is below the coder minimum of 16384 tokens');
  });
});
