import { EMBEDDING_ROLE } from './EMBEDDING_ROLE.js';
import type { RoleGroup } from './RoleGroup.js';
import type { SlotRole } from './SlotRole.js';

/** The role named first in error messages about a file: a generating role, else the embedding role. */
export function firstRole(group: RoleGroup): SlotRole {
  return group.roles[0] ?? EMBEDDING_ROLE;
}
