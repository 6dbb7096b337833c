import { NightshiftError } from '../../shared/NightshiftError.js';

/** No test command was configured and none could be detected, so no change can be verified. */
export class MissingTestCommandError extends NightshiftError {
  constructor(options: {
    /** Absolute path of the project root that was inspected. */
    root: string;
    /** What was looked for and not found, for the message. */
    looked: string;
    /** The `nightshift.json` line to suggest, e.g. `"testCommand": "make test"`. */
    suggestion: string;
  }) {
    super({
      code: 'MISSING_TEST_COMMAND',
      message: `No test command found in ${options.root}: ${options.looked}.`,
      hint: `Add the command that runs your tests to nightshift.json at the project root, e.g.  { ${options.suggestion} }  (optionally "testFileCommand" with a {files} placeholder).`,
      context: { root: options.root, looked: options.looked, suggestion: options.suggestion },
    });
  }
}
