import { createEngine, type Engine } from '../engine/createEngine.js';
import { projectLocksDir } from '../engine/lock/projectLocksDir.js';
import type { Clock } from '../engine/ports/Clock.js';
import type { Store } from '../engine/ports/Store.js';
import type { Vcs } from '../engine/ports/Vcs.js';
import { createPromptLibrary } from '../engine/prompts/createPromptLibrary.js';
import type { PromptLibrary } from '../engine/prompts/PromptLibrary.js';
import { createSqliteStore } from '../engine/store/createSqliteStore.js';
import { openDataDir } from '../engine/store/openDataDir.js';
import { createGitVcs } from '../engine/vcs/createGitVcs.js';
import { refIntentsDir } from '../engine/vcs/refIntentsDir.js';
import type { ModelHostEvent } from '../runtime/host/ModelHost.js';
import { createModelsFromSpec } from '../runtime/models/createModelsFromSpec.js';
import { createSandboxFactory } from '../sandbox/createSandboxFactory.js';
import type { ModelClient } from '../shared/model/ModelClient.js';
import type { ProjectConfig } from '../shared/projectConfigSchema.js';

/** Everything that decides how the engine is wired, in one object: the CLI, the tests and the app each fill one. */
export interface EngineSettings {
  /** Nightshift's data directory, already resolved (`resolveDataDir`): database, workspaces, reports, project locks, ref intents. */
  dataDir: string;
  /**
   * The models: a `--models` spec built into a client here (`createModelsFromSpec`), or a ready client.
   * Either way the engine owns the client and disposes it.
   */
  models:
    | {
        /** The `--models` value: `local`, `local:FILE.gguf`, `openai:URL#MODEL`, `scripted:FILE`. */
        spec: string;
        /** Directory relative paths in the spec resolve against. */
        cwd: string;
        /** The project, whose nightshift.models.json overrides the catalog for `local`. */
        projectDir?: string;
        /** Catalog profile for `local` instead of the largest tier that fits this machine. */
        profileId?: string;
        /** Where API keys and thread counts are read. Default: process.env. */
        env?: Record<string, string | undefined>;
        /** Told about the `local` model process's starts, crashes and restarts, for the UI. */
        onModelHostEvent?: (event: ModelHostEvent) => void;
      }
    | { client: ModelClient };
  /** Where commands run; each field overrides the project's nightshift.json. */
  sandbox?: {
    preference?: ProjectConfig['sandbox'];
    allowUnsandboxed?: boolean;
    /** Image build output, for a progress display. */
    onProgress?: (message: string) => void;
  };
  /**
   * The records. `sqlite` (default): the data directory's database, opened now, so a damaged one is refused
   * before anything else starts. `sqlite-on-first-use`: the same, opened only when the engine first records
   * something, so `doctor`, which records nothing, never creates or locks a database. A given Store (tests:
   * the in-memory one) is used as it is and left open by dispose.
   */
  store?: 'sqlite' | 'sqlite-on-first-use' | Store;
  /**
   * The `better_sqlite3.node` the sqlite stores load, built for this runtime's ABI (Electron's, in the app's
   * engine process). Default: the package's own Node build.
   */
  nativeBinding?: string;
  /** Default: the system clock. */
  clock?: Clock;
  /** Default: the prompts in resources/prompts. */
  prompts?: PromptLibrary;
  /** Default: isomorphic-git with ref intents in the data directory. */
  vcs?: Vcs;
}

/** The engine and what it was built over. */
export interface AssembledEngine {
  engine: Engine;
  /** The engine's Store (opens a `sqlite-on-first-use` database when read). */
  readonly store: Store;
  models: ModelClient;
  dataDir: string;
  workspacesDir: string;
  reportsDir: string;
  locksDir: string;
  /** Releases what assembleEngine created: the model client, and the database it opened. */
  dispose(): Promise<void>;
}

/**
 * The one place the engine's ports are wired: SQLite store, git, sandbox factory, model client, clock and
 * prompts from one settings object. It lives outside src/engine because it picks implementations from the
 * runtime and sandbox layers, which the engine itself never imports.
 */
export async function assembleEngine(settings: EngineSettings): Promise<AssembledEngine> {
  const dirs = openDataDir({ dir: settings.dataDir });
  const given = typeof settings.store === 'object' ? settings.store : null;
  let opened: Store | null = null;
  const openStore = (): Store =>
    (opened ??= createSqliteStore({ path: dirs.dbPath, ...(settings.nativeBinding === undefined ? {} : { nativeBinding: settings.nativeBinding }) }));
  if (given === null && settings.store !== 'sqlite-on-first-use') openStore();
  const releaseStore = () => opened?.dispose();

  let models: ModelClient;
  try {
    models =
      'client' in settings.models
        ? settings.models.client
        : await createModelsFromSpec({
            spec: settings.models.spec,
            cwd: settings.models.cwd,
            dataDir: dirs.dir,
            ...(settings.models.projectDir ? { projectDir: settings.models.projectDir } : {}),
            ...(settings.models.profileId ? { profileId: settings.models.profileId } : {}),
            ...(settings.models.env ? { env: settings.models.env } : {}),
            ...(settings.models.onModelHostEvent ? { onModelHostEvent: settings.models.onModelHostEvent } : {}),
          });
  } catch (error) {
    releaseStore();
    throw error;
  }

  const locksDir = projectLocksDir({ dataDir: dirs.dir });
  const engine = createEngine({
    models,
    // A getter, so the engine reads the store when it first records and a store opened on first use stays unopened otherwise.
    get store() {
      return given ?? openStore();
    },
    createSandbox: createSandboxFactory({
      ...(settings.sandbox?.preference ? { preference: settings.sandbox.preference } : {}),
      ...(settings.sandbox?.allowUnsandboxed !== undefined ? { allowUnsandboxed: settings.sandbox.allowUnsandboxed } : {}),
      ...(settings.sandbox?.onProgress ? { onProgress: settings.sandbox.onProgress } : {}),
    }),
    vcs: settings.vcs ?? createGitVcs({ refIntentsDir: refIntentsDir({ dataDir: dirs.dir }) }),
    clock: settings.clock ?? { now: () => Date.now() },
    prompts: settings.prompts ?? createPromptLibrary(),
    workspacesDir: dirs.workspacesDir,
    reportsDir: dirs.reportsDir,
    locksDir,
  });
  return {
    engine,
    get store() {
      return given ?? openStore();
    },
    models,
    dataDir: dirs.dir,
    workspacesDir: dirs.workspacesDir,
    reportsDir: dirs.reportsDir,
    locksDir,
    async dispose() {
      try {
        await engine.dispose();
      } finally {
        releaseStore();
      }
    },
  };
}
