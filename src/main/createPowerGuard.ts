import type { SessionControlState } from '../shared/sessionControlStateSchema.js';

/** The part of Electron's `powerSaveBlocker` the guard uses. */
export interface PowerSaveBlocker {
  /** Starts blocking; returns the blocker's id. */
  start(type: 'prevent-app-suspension'): number;
  stop(id: number): void;
}

/** Keeps the machine from suspending the app while a session runs or waits for its start time. */
export interface PowerGuard {
  /** Starts or stops the blocker for the supervisor's current states. */
  update(states: readonly SessionControlState[]): void;
  /** True while the blocker is held. */
  readonly active: boolean;
  /** Releases the blocker. */
  dispose(): void;
}

/**
 * A paused or idle project needs nothing from the machine; a scheduled one must still be awake at its start
 * time, and a running one must not be frozen mid-step.
 */
const AWAKE: ReadonlySet<SessionControlState['state']> = new Set(['scheduled', 'starting', 'running', 'pausing', 'stopping', 'restarting']);

/** Holds one `prevent-app-suspension` blocker exactly while some project's session needs the machine awake. */
export function createPowerGuard(options: {
  /** Electron's `powerSaveBlocker`, or a fake. */
  blocker: PowerSaveBlocker;
}): PowerGuard {
  let id: number | null = null;
  const release = () => {
    if (id === null) return;
    options.blocker.stop(id);
    id = null;
  };
  return {
    update(states) {
      const awake = states.some((state) => AWAKE.has(state.state));
      if (awake && id === null) id = options.blocker.start('prevent-app-suspension');
      else if (!awake) release();
    },
    get active() {
      return id !== null;
    },
    dispose: release,
  };
}
