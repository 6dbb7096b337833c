import type { Clock } from '../engine/ports/Clock.js';
import type { ProjectRecord, Store } from '../engine/ports/Store.js';
import type { EngineEvent } from '../shared/engineEventSchema.js';
import type { ProjectSettings } from '../shared/projectSettingsSchema.js';

/** What every group of handlers shares: the database, the clock, the event fan-out and the project guard. */
export interface HostContext {
  /** Nightshift's data directory (database, workspaces, reports, locks). */
  dataDir: string;
  store: Store;
  clock: Clock;
  /** Hands an event to every listener (windows, SSE clients). */
  publish(event: EngineEvent): void;
  /**
   * The project at `projectPath`, which must be one the host opened (`project/open`): every message that names
   * a path goes through here, so no message reaches a folder the user did not open. Throws `ProjectNotOpenError`.
   */
  openedProject(projectPath: string): ProjectRecord;
  /** The session settings saved for a project (`project/settings`), or the defaults when none were saved. */
  settingsOf(project: ProjectRecord): ProjectSettings;
}
