import { NightshiftError } from '../../shared/NightshiftError.js';

/** No isolating sandbox could be used and the project has not opted in to running commands unsandboxed. */
export class UnsandboxedNotAllowedError extends NightshiftError {
  constructor(options: {
    /** The sandbox preference that was asked for. */
    preference: string;
    /** Why each isolating sandbox was not used, e.g. `docker: daemon not reachable`. */
    reasons: string[];
  }) {
    super({
      code: 'UNSANDBOXED_NOT_ALLOWED',
      message:
        options.reasons.length > 0
          ? `No sandbox can run the project's commands (${options.reasons.join('; ')}) and running them unsandboxed is not allowed.`
          : 'Running commands unsandboxed (sandbox "local") is not allowed for this project.',
      hint:
        'Start Docker (or Colima, OrbStack, Podman), or install bubblewrap on Linux (apt-get install bubblewrap); ' +
        'run `nightshift sandbox doctor` to see what is missing. To accept running model-written code directly on ' +
        'this machine, set "allowUnsandboxed": true in nightshift.json.',
      context: { preference: options.preference, reasons: options.reasons },
    });
  }
}
