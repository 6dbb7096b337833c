/** The part of Electron's `before-quit` event the guard uses. */
export interface QuitEvent {
  preventDefault(): void;
}

/** Decides what a request to quit the app does. */
export interface QuitGuard {
  /** Handles the app's `before-quit` event. */
  beforeQuit(event: QuitEvent): void;
}

/**
 * Quitting while a session runs asks first, and a confirmed quit waits for the host to stop every session
 * cleanly (the current step finishes and is recorded) before the app exits. Every quit is held back until
 * the host is disposed, so the database is always closed by the host rather than by the process ending.
 */
export function createQuitGuard(options: {
  /** True while a session runs, pauses, stops or waits for its start time. */
  busy: () => boolean;
  /** Asks the user whether to stop the running session and quit; resolves true to go ahead. */
  confirm: () => Promise<boolean>;
  /** Stops the sessions cleanly and closes the host. */
  dispose: () => Promise<void>;
  /** Quits for real; the guard lets the `before-quit` this raises through. */
  exit: () => void;
  /** Told when `dispose` fails; the app exits anyway. Default: `console.error`. */
  onError?: (error: unknown) => void;
}): QuitGuard {
  const onError = options.onError ?? ((error: unknown) => console.error('Nightshift could not stop cleanly:', error));
  let phase: 'open' | 'closing' | 'closed' = 'open';

  const close = async () => {
    try {
      if (options.busy() && !(await options.confirm())) {
        phase = 'open';
        return;
      }
    } catch (error) {
      phase = 'open';
      onError(error);
      return;
    }
    try {
      await options.dispose();
    } catch (error) {
      onError(error);
    }
    phase = 'closed';
    options.exit();
  };

  return {
    beforeQuit(event) {
      if (phase === 'closed') return;
      event.preventDefault();
      // A second quit while the current step finishes changes nothing: the first one is already on its way.
      if (phase === 'closing') return;
      phase = 'closing';
      void close();
    },
  };
}
