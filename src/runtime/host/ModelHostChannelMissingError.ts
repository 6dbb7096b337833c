import { NightshiftError } from '../../shared/NightshiftError.js';

/** The model host entry was run without a channel to its parent, e.g. straight from a shell. */
export class ModelHostChannelMissingError extends NightshiftError {
  constructor() {
    super({
      code: 'MODEL_HOST_NO_CHANNEL',
      message: 'The model host has no channel to a parent process.',
      hint: 'It is started by Nightshift itself (createModelHost); run `nightshift` or the desktop app instead of the entry file.',
    });
  }
}
