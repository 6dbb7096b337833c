import type { LlamaRoleOptions } from './LlamaRoleOptions.js';
import type { RoleGroup } from './RoleGroup.js';

/** Every role's settings on the file, the embedding role's last. */
export function allSettings(group: RoleGroup): LlamaRoleOptions[] {
  return group.embedding ? [...group.settings, group.embedding] : group.settings;
}
