import { describe, expect, it } from 'vitest';
import { loadModelCatalog } from '../../../../src/runtime/catalog/loadModelCatalog.js';
import { LocalModelsError } from '../../../../src/runtime/local/LocalModelsError.js';
import { describeMissingModels } from '../../../../src/runtime/local/describeMissingModels.js';
import { planLocalModels } from '../../../../src/runtime/local/planLocalModels.js';
import { makeTempDir } from '../../../utils/makeTempDir.js';

const GIB = 1024 ** 3;
const machine = (gib: number) => ({ totalMemoryBytes: gib * GIB, freeMemoryBytes: gib * GIB, unified: true });

async function refusal(options: { memoryGb: number; profileId?: string }): Promise<LocalModelsError> {
  const error = await planLocalModels({ dataDir: makeTempDir(), machine: machine(options.memoryGb), ...(options.profileId ? { profileId: options.profileId } : {}) }).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(LocalModelsError);
  return error as LocalModelsError;
}

describe('the missing-model error', () => {
  it('names a model two roles share once, with its roles and the command that fetches it', async () => {
    const error = await refusal({ memoryGb: 16 });
    expect(error.message).toBe(
      [
        'Profile mac-16gb needs 2 models that are not on this machine:',
        '  qwen2.5-coder-7b-q4km (brain, coder): nightshift models pull qwen2.5-coder-7b-q4km',
        '  gemma-3-12b-q4km (qa): nightshift models pull gemma-3-12b-q4km',
      ].join('\n'),
    );
    expect(error.message.match(/qwen2\.5-coder-7b-q4km \(/g)).toHaveLength(1);
  });

  it('says so when no smaller profile exists, instead of suggesting one', async () => {
    const error = await refusal({ memoryGb: 16 });
    expect(error.hint).toMatch(/The catalog has no smaller profile than mac-16gb for this machine\./);
    expect(error.hint).not.toMatch(/--profile/);
  });

  it('suggests a smaller profile that fits this machine, with what it still needs', async () => {
    const error = await refusal({ memoryGb: 24 });
    expect(error.message).toMatch(/^Profile mac-24gb needs 2 models/);
    expect(error.hint).toMatch(/--profile mac-16gb, which fits this machine once it has qwen2\.5-coder-7b-q4km, gemma-3-12b-q4km\./);
  });

  it('prefers a smaller profile whose models are already here, and never one larger than the machine', async () => {
    const catalog = await loadModelCatalog({});
    const profile = catalog.profiles.find((candidate) => candidate.id === 'mac-32gb')!;
    const present = new Set(['qwen2.5-coder-7b-q4km', 'gemma-3-12b-q4km']);
    const { message, hint } = describeMissingModels({ catalog, profile, missing: ['devstral-small-2507-q4km', 'devstral-small-2507-q4km'], present, memoryBytes: 32 * GIB });
    expect(message).toBe('Profile mac-32gb needs a model that is not on this machine:\n  devstral-small-2507-q4km (brain, coder): nightshift models pull devstral-small-2507-q4km');
    expect(hint).toMatch(/Or run the smaller profile whose models are already here: --profile mac-16gb\./);
    const explicit = catalog.profiles.find((candidate) => candidate.id === 'mac-64gb')!;
    const tooBig = describeMissingModels({ catalog, profile: explicit, missing: ['qwen3.6-35b-a3b-q4km'], present: new Set(), memoryBytes: 20 * GIB });
    expect(tooBig.hint).toMatch(/--profile mac-16gb,/);
  });

  it('gives the import command for a catalog model that names a local file', async () => {
    const catalog = await loadModelCatalog({});
    const profile = catalog.profiles.find((candidate) => candidate.id === 'mac-16gb')!;
    const local = { ...catalog, models: catalog.models.map((model) => (model.id === 'gemma-3-12b-q4km' ? { ...model, source: '/models/gemma.gguf' } : model)) };
    const { message } = describeMissingModels({ catalog: local, profile, missing: ['gemma-3-12b-q4km'], present: new Set(), memoryBytes: 16 * GIB });
    expect(message).toMatch(/gemma-3-12b-q4km \(qa\): nightshift models import \/models\/gemma\.gguf --id gemma-3-12b-q4km/);
  });
});
