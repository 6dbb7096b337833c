import { NightshiftError } from '../shared/NightshiftError.js';

/** A message between the session supervisor and the engine process failed its schema: the two sides are from different builds, or one has a bug. */
export class EngineProcessMessageError extends NightshiftError {
  constructor(options: {
    /** Who sent the message that was refused. */
    from: 'supervisor' | 'engine';
    /** The schema's complaints, one line. */
    issues: string;
  }) {
    super({
      code: 'ENGINE_PROCESS_BAD_MESSAGE',
      message: `The ${options.from === 'engine' ? 'engine process' : 'session supervisor'} sent a message that does not fit the engine process protocol: ${options.issues}`,
      hint: 'The app and its engine bundle come from different builds; rebuild (`npm run build`) or reinstall Nightshift, and report it if it persists.',
      context: { from: options.from, issues: options.issues },
    });
  }
}
