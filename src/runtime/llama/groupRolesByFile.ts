import { realpath } from 'node:fs/promises';
import { modelRoleSchema, type ModelRole } from '../../shared/modelRole.js';
import { EMBEDDING_ROLE } from './EMBEDDING_ROLE.js';
import { firstRole } from './firstRole.js';
import { LlamaConfigError } from './LlamaConfigError.js';
import type { LlamaRoleOptions } from './LlamaRoleOptions.js';
import { LlamaModelLoadError } from './LlamaModelLoadError.js';
import type { RoleGroup } from './RoleGroup.js';
import type { SlotRole } from './SlotRole.js';

/** Groups roles by resolved file, in the order brain, coder, qa, embedding first name each file. */
export async function groupRolesByFile(options: {
  /** The generating roles' settings. */
  roles: Record<ModelRole, LlamaRoleOptions>;
  /** The embedding role's settings, when there is one. */
  embedding?: LlamaRoleOptions;
}): Promise<RoleGroup[]> {
  const { roles, embedding } = options;
  const groups = new Map<string, RoleGroup>();
  const named: Array<[SlotRole, LlamaRoleOptions]> = modelRoleSchema.options.map((role) => [role, roles[role]]);
  if (embedding) named.push([EMBEDDING_ROLE, embedding]);
  for (const [role, settings] of named) {
    let modelPath: string;
    try {
      modelPath = await realpath(settings.modelPath);
    } catch (error) {
      throw new LlamaModelLoadError({ modelPath: settings.modelPath, roles: [role], step: 'open', cause: error });
    }
    let group = groups.get(modelPath);
    if (!group) {
      group = { modelPath, configuredPath: settings.modelPath, modelId: settings.modelId, roles: [], settings: [], embedding: null };
      groups.set(modelPath, group);
    } else {
      const first = group.settings[0] ?? group.embedding!;
      if (first.gpuLayers !== settings.gpuLayers) {
        throw new LlamaConfigError({
          problem: `${firstRole(group)} and ${role} share ${modelPath} but ask for gpuLayers ${String(first.gpuLayers)} and ${String(settings.gpuLayers)}`,
          roles: [firstRole(group), role],
        });
      }
    }
    if (role === EMBEDDING_ROLE) {
      group.embedding = settings;
    } else {
      group.roles.push(role);
      group.settings.push(settings);
    }
  }
  return [...groups.values()];
}
