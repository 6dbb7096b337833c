import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import type { ModelHost } from '../runtime/host/ModelHost.js';
import { createModelHost } from '../runtime/host/createModelHost.js';
import { planLocalModels } from '../runtime/local/planLocalModels.js';

/** node-llama-cpp's smallest default thread count on a CPU-only machine. */
const MIN_DEFAULT_THREADS = 4;

/**
 * The model host for `--models local` (the catalog's memory-tier profile planned for this machine) or
 * `--models local:FILE.gguf` (one file for every role). Planning reads GGUF headers only; the models load
 * in the host process, where a llama.cpp crash or out-of-memory kill cannot take the command with it.
 * Throws LocalModelsError when a model is missing or cannot run here.
 */
export async function createLocalModelHost(options: {
  /** What follows `local:` in the spec; empty for the catalog profile. */
  modelPath: string;
  /** Directory a relative modelPath resolves against. */
  cwd: string;
  /** Nightshift's data directory, where the catalog profile's models are found. */
  dataDir: string;
  /** The project, whose nightshift.models.json overrides the catalog. */
  projectDir?: string;
  /** Catalog profile instead of the largest tier that fits this machine. */
  profileId?: string;
  /** CPU threads per context. Default: node-llama-cpp's choice, but no more than the cores there are (see below). */
  threads?: number;
}): Promise<ModelHost> {
  const { spec } = await planLocalModels({
    dataDir: options.dataDir,
    ...(options.modelPath ? { modelPath: resolve(options.cwd, options.modelPath) } : {}),
    ...(options.projectDir ? { projectDir: options.projectDir } : {}),
    ...(options.profileId ? { profileId: options.profileId } : {}),
  });
  // node-llama-cpp runs at least 4 threads on a CPU-only machine; on fewer cores they spin-wait on each
  // other and generation crawls (measured on 2 cores: seconds per token instead of milliseconds).
  const cores = availableParallelism();
  const threads = options.threads ?? (cores < MIN_DEFAULT_THREADS ? cores : undefined);
  return createModelHost({ spec: { ...spec, ...(threads === undefined ? {} : { threads }) } });
}
