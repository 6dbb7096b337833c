import { describe, expect, it } from 'vitest';
import { loadModelCatalog } from '../../../../src/runtime/catalog/loadModelCatalog.js';
import { ProfileNotFoundError } from '../../../../src/runtime/catalog/ProfileNotFoundError.js';
import { selectProfile } from '../../../../src/runtime/catalog/selectProfile.js';

const GIB = 1024 ** 3;

describe('selectProfile', () => {
  it('chooses the largest tier at or below the memory, from 16 to 192 GB and beyond', async () => {
    const catalog = await loadModelCatalog();
    const cases: Array<[number, string]> = [
      [16, 'mac-16gb'],
      [18, 'mac-16gb'],
      [24, 'mac-24gb'],
      [32, 'mac-32gb'],
      [36, 'mac-36gb'],
      [48, 'mac-48gb'],
      [64, 'mac-64gb'],
      [96, 'mac-96gb'],
      [128, 'mac-128gb'],
      [192, 'mac-192gb'],
      [512, 'mac-192gb'],
    ];
    for (const [gb, id] of cases) expect(selectProfile({ catalog, memoryBytes: gb * GIB }).id, `${gb} GB`).toBe(id);
    expect(selectProfile({ catalog, memoryBytes: 36 * GIB - 1 }).id).toBe('mac-32gb');
  });

  it('uses a named profile regardless of memory', async () => {
    const catalog = await loadModelCatalog();
    expect(selectProfile({ catalog, memoryBytes: 16 * GIB, profileId: 'mac-128gb' }).id).toBe('mac-128gb');
  });

  it('refuses an unknown profile and memory below the smallest tier, listing the profiles', async () => {
    const catalog = await loadModelCatalog();
    expect(() => selectProfile({ catalog, memoryBytes: 64 * GIB, profileId: 'mac-65gb' })).toThrow(ProfileNotFoundError);
    let caught: unknown;
    try {
      selectProfile({ catalog, memoryBytes: 8 * GIB });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ProfileNotFoundError);
    expect((caught as ProfileNotFoundError).message).toMatch(/8\.0 GB of memory is below the smallest/);
    expect((caught as ProfileNotFoundError).hint).toContain('mac-16gb (16 GB)');
  });
});
