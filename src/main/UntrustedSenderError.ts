import { NightshiftError } from '../shared/NightshiftError.js';

/**
 * An IPC message came from something other than the main frame of Nightshift's window (an iframe, another
 * window). Only the app's own page may reach the host.
 */
export class UntrustedSenderError extends NightshiftError {
  constructor(options: {
    /** The IPC channel the message came on. */
    channel: string;
    /** The sending frame's URL; empty when the frame is gone. */
    frameUrl: string;
  }) {
    super({
      code: 'UNTRUSTED_SENDER',
      message: `Request on ${options.channel} refused: it did not come from the Nightshift window.`,
      hint: 'Only the Nightshift window itself may call the host; embedded or other pages may not.',
      context: { channel: options.channel, frameUrl: options.frameUrl },
    });
  }
}
