import type { CatalogProfile, ModelCatalog } from '../catalog/modelCatalogSchema.js';
import type { ModelRole } from '../../shared/modelRole.js';

const GIB = 1024 ** 3;
const ROLES: ModelRole[] = ['brain', 'coder', 'qa'];

/**
 * The LocalModelsError text for a profile whose models are not all on this machine: each missing model
 * once, with the roles that need it and the command that gets it, then a smaller profile that fits this
 * machine (one whose models are all here first), or a plain statement that the catalog has none.
 */
export function describeMissingModels(options: {
  catalog: ModelCatalog;
  /** The profile that was chosen. */
  profile: CatalogProfile;
  /** Ids of the profile's brain, coder and qa models that are not on this machine. */
  missing: string[];
  /** Ids of every catalog model that is on this machine. */
  present: ReadonlySet<string>;
  /** The machine's memory in bytes; smaller profiles above it are not suggested. */
  memoryBytes: number;
}): { message: string; hint: string } {
  const { catalog, profile } = options;
  const missing = [...new Set(options.missing)];
  const lines = missing.map((modelId) => {
    const roles = ROLES.filter((role) => profile.roles[role].model === modelId);
    return `  ${modelId} (${roles.join(', ')}): ${fetchCommand(catalog, modelId)}`;
  });
  const message = `Profile ${profile.id} needs ${missing.length === 1 ? 'a model that is' : `${missing.length} models that are`} not on this machine:\n${lines.join('\n')}`;
  const smaller = catalog.profiles
    .filter((candidate) => candidate.memoryGb < profile.memoryGb && candidate.memoryGb * GIB <= options.memoryBytes)
    .sort((a, b) => b.memoryGb - a.memoryGb);
  const ready = smaller.find((candidate) => ROLES.every((role) => options.present.has(candidate.roles[role].model)));
  const alternative = ready
    ? `Or run the smaller profile whose models are already here: --profile ${ready.id}.`
    : smaller[0]
      ? `Or pick the smaller profile --profile ${smaller[0].id}, which fits this machine once it has ${[...new Set(ROLES.map((role) => smaller[0]!.roles[role].model))].filter((id) => !options.present.has(id)).join(', ')}.`
      : `The catalog has no smaller profile than ${profile.id} for this machine.`;
  return { message, hint: `Run the command shown for each model once, or add a GGUF you already have with \`nightshift models import FILE --id ID\`. ${alternative}` };
}

/** The exact command that puts a catalog model in the model store. */
function fetchCommand(catalog: ModelCatalog, modelId: string): string {
  const model = catalog.models.find((candidate) => candidate.id === modelId);
  if (!model || !model.source.startsWith('hf:')) {
    return `nightshift models import ${model ? model.source : 'FILE.gguf'} --id ${modelId}${model ? ' (the catalog names this local file, which is not there)' : ''}`;
  }
  if (model.parts !== undefined) {
    return `download its ${model.parts} parts (${model.source} and the files after it) next to each other, then \`nightshift models import <first part> --id ${modelId} --link\``;
  }
  return `nightshift models pull ${modelId}`;
}
