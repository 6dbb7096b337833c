import { availableParallelism } from 'node:os';
import type { ModelHost, ModelHostEvent } from '../host/ModelHost.js';
import { createModelHost } from '../host/createModelHost.js';
import { LlamaThreadsError } from './LlamaThreadsError.js';
import { planLocalModels } from './planLocalModels.js';

/** node-llama-cpp's smallest default thread count on a CPU-only machine. */
const MIN_DEFAULT_THREADS = 4;

/**
 * The model host for `--models local` (the catalog's memory-tier profile planned for this machine) or
 * `--models local:FILE.gguf` (one file for every role). Planning reads GGUF headers only; the models load
 * in the host process, where a llama.cpp crash or out-of-memory kill cannot take the command with it.
 * NIGHTSHIFT_LLAMA_THREADS sets the CPU threads per context, for machines shared with other work, where
 * fewer threads than cores are faster. Throws LocalModelsError when a model is missing or cannot run
 * here, LlamaThreadsError for a NIGHTSHIFT_LLAMA_THREADS that is not a positive whole number.
 */
export async function createLocalModelHost(options: {
  /** The one GGUF file for every role (`local:FILE.gguf`, absolute); null for the catalog profile. */
  modelPath: string | null;
  /** Nightshift's data directory, where the catalog profile's models are found. */
  dataDir: string;
  /** The project, whose nightshift.models.json overrides the catalog. */
  projectDir?: string;
  /** Catalog profile instead of the largest tier that fits this machine. */
  profileId?: string;
  /**
   * Where NIGHTSHIFT_LLAMA_THREADS (CPU threads per context) is read. Default: process.env. Without it:
   * node-llama-cpp's choice, but no more threads than there are cores (see below).
   */
  env?: Record<string, string | undefined>;
  /** Told what the plan left out (an embedding model that is not downloaded). Default: written to stderr. */
  onWarning?: (message: string) => void;
  /** Told about the model process's starts, crashes and restarts (createModelHost's onEvent). */
  onEvent?: (event: ModelHostEvent) => void;
}): Promise<ModelHost> {
  const threads = threadsFrom((options.env ?? process.env).NIGHTSHIFT_LLAMA_THREADS);
  const { spec, warnings } = await planLocalModels({
    dataDir: options.dataDir,
    ...(options.modelPath ? { modelPath: options.modelPath } : {}),
    ...(options.projectDir ? { projectDir: options.projectDir } : {}),
    ...(options.profileId ? { profileId: options.profileId } : {}),
  });
  for (const warning of warnings) (options.onWarning ?? ((message) => process.stderr.write(`warning: ${message}\n`)))(warning);
  return createModelHost({ spec: { ...spec, ...(threads === undefined ? {} : { threads }) }, ...(options.onEvent ? { onEvent: options.onEvent } : {}) });
}

function threadsFrom(value: string | undefined): number | undefined {
  if (value !== undefined && value !== '') {
    const threads = Number(value);
    if (!Number.isInteger(threads) || threads < 1) {
      throw new LlamaThreadsError({ value });
    }
    return threads;
  }
  // node-llama-cpp runs at least 4 threads on a CPU-only machine; on fewer cores they spin-wait on each
  // other and generation crawls (measured on 2 cores: seconds per token instead of milliseconds).
  const cores = availableParallelism();
  return cores < MIN_DEFAULT_THREADS ? cores : undefined;
}
