import type { ModelClient } from '../../shared/model/ModelClient.js';
import { createModelClientFromBackend } from '../../shared/model/createModelClientFromBackend.js';
import type { ModelHostEvent } from '../host/ModelHost.js';
import { createModelBackend } from './createModelBackend.js';
import { parseModelsSpec } from './parseModelsSpec.js';

/**
 * The engine's ModelClient for a `--models` value: parseModelsSpec, then the backend createModelBackend
 * builds, behind createModelClientFromBackend. Throws what those throw (ModelsSpecError for a bad spec).
 */
export async function createModelsFromSpec(options: {
  /** The `--models` value. */
  spec: string;
  /** Directory relative paths resolve against. */
  cwd: string;
  /** Nightshift's data directory, where `local` finds downloaded models. */
  dataDir: string;
  /** Where NIGHTSHIFT_OPENAI_API_KEY (openai) and NIGHTSHIFT_LLAMA_THREADS (local) are read. Default: process.env. */
  env?: Record<string, string | undefined>;
  /** The project, whose nightshift.models.json overrides the catalog for `local`. */
  projectDir?: string;
  /** Catalog profile for `local` instead of the largest tier that fits this machine. */
  profileId?: string;
  /** Told about the `local` model process's starts, crashes and restarts. */
  onModelHostEvent?: (event: ModelHostEvent) => void;
}): Promise<ModelClient> {
  const { spec, cwd, ...rest } = options;
  return createModelClientFromBackend({ backend: await createModelBackend({ spec: parseModelsSpec({ spec, cwd }), ...rest }) });
}
