import type { ModelRole } from '../../shared/modelRole.js';
import type { LlamaRoleOptions } from './LlamaRoleOptions.js';

/** The roles that name one GGUF file (symlinks resolved), which share its one loaded model. */
export interface RoleGroup {
  modelPath: string;
  configuredPath: string;
  /** The modelId of the first role that names the file. */
  modelId: string;
  /** The generating roles on the file, in role order; empty for a file only the embedding role uses. */
  roles: ModelRole[];
  /** Their settings, in the same order. */
  settings: LlamaRoleOptions[];
  /** The embedding role's settings when it uses the file. */
  embedding: LlamaRoleOptions | null;
}
