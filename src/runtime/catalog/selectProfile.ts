import type { CatalogProfile, ModelCatalog } from './modelCatalogSchema.js';
import { ProfileNotFoundError } from './ProfileNotFoundError.js';

const GIB = 1024 ** 3;

/**
 * The profile to run: the one named by `profileId`, else the largest memory tier at or below the
 * machine's memory (a 36 GB Mac gets the 32 GB tier). Throws ProfileNotFoundError for an unknown id or
 * a machine below the smallest tier.
 */
export function selectProfile(options: {
  catalog: ModelCatalog;
  /** The machine's total memory in bytes (unified memory on Apple Silicon). */
  memoryBytes: number;
  /** A profile id to use regardless of memory. */
  profileId?: string;
}): CatalogProfile {
  const { catalog, memoryBytes, profileId } = options;
  const available = [...catalog.profiles].sort((a, b) => a.memoryGb - b.memoryGb).map((profile) => `${profile.id} (${profile.memoryGb} GB)`);
  if (profileId !== undefined) {
    const named = catalog.profiles.find((profile) => profile.id === profileId);
    if (!named) throw new ProfileNotFoundError({ message: `No model profile "${profileId}".`, available, context: { profileId } });
    return named;
  }
  const fitting = catalog.profiles.filter((profile) => profile.memoryGb * GIB <= memoryBytes).sort((a, b) => b.memoryGb - a.memoryGb);
  const best = fitting[0];
  if (!best) {
    throw new ProfileNotFoundError({
      message: `${(memoryBytes / GIB).toFixed(1)} GB of memory is below the smallest model profile.`,
      available,
      context: { memoryBytes },
    });
  }
  return best;
}
