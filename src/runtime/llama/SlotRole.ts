import type { ModelRole } from '../../shared/modelRole.js';
import type { EMBEDDING_ROLE } from './EMBEDDING_ROLE.js';

/** A role of the llama backend: a generating one, or the embedding role. */
export type SlotRole = ModelRole | typeof EMBEDDING_ROLE;
