import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import type { Llama } from 'node-llama-cpp';
import type { CatalogProfile, ModelCatalog } from '../catalog/modelCatalogSchema.js';
import { factsFromCatalogModel } from './factsFromCatalogModel.js';
import { factsFromGguf } from './factsFromGguf.js';
import { MissingModelFactsError } from './MissingModelFactsError.js';
import type { ModelFacts } from './ModelFacts.js';

/**
 * ModelFacts for every model a profile uses: read from the GGUF header when the source is a local file
 * that exists (exact), else from the catalog's architecture block (no download needed).
 */
export async function resolveProfileFacts(options: {
  catalog: ModelCatalog;
  profile: CatalogProfile;
  /** Directory relative local sources resolve against. */
  baseDir: string;
  /** Passed to factsFromGguf. */
  llama?: Llama;
}): Promise<Record<string, ModelFacts>> {
  const facts: Record<string, ModelFacts> = {};
  for (const assignment of Object.values(options.profile.roles)) {
    if (!assignment || facts[assignment.model]) continue;
    const model = options.catalog.models.find((candidate) => candidate.id === assignment.model);
    if (!model) throw new MissingModelFactsError({ modelId: assignment.model, reason: `profile ${options.profile.id} names it but the catalog has no such model` });
    const localPath = model.source.startsWith('hf:') ? undefined : resolve(options.baseDir, model.source.replace(/^~(?=\/)/, homedir()));
    facts[model.id] =
      localPath && existsSync(localPath)
        ? await factsFromGguf({ path: localPath, ...(options.llama ? { llama: options.llama } : {}) })
        : factsFromCatalogModel({ model });
  }
  return facts;
}
