import { NightshiftError } from '../shared/NightshiftError.js';

/** The engine process entry was run without a channel to its parent, e.g. straight from a shell. */
export class EngineProcessChannelMissingError extends NightshiftError {
  constructor() {
    super({
      code: 'ENGINE_PROCESS_NO_CHANNEL',
      message: 'The engine process has no channel to a parent process.',
      hint: 'It is started by Nightshift itself (the desktop app or `nightshift serve`); to run a session from a terminal use `nightshift run <project-dir>`.',
    });
  }
}
