import { EMBEDDING_ROLE } from './EMBEDDING_ROLE.js';
import type { RoleGroup } from './RoleGroup.js';
import type { SlotRole } from './SlotRole.js';

/** The roles on the file as error messages name them. */
export function allRoles(group: RoleGroup): SlotRole[] {
  return group.embedding ? [...group.roles, EMBEDDING_ROLE] : group.roles;
}
