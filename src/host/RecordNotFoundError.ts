import { NightshiftError } from '../shared/NightshiftError.js';

/** A request named a session or task run the database does not hold. */
export class RecordNotFoundError extends NightshiftError {
  constructor(options: {
    /** Kind of record, e.g. `session`, `task run`. */
    kind: string;
    /** The id asked for. */
    id: string | number;
  }) {
    super({
      code: 'NOT_FOUND',
      message: `No ${options.kind} ${options.id} exists in the Nightshift database.`,
      hint: 'Refresh the session list; the record may live in another data directory (NIGHTSHIFT_HOME).',
      context: { kind: options.kind, id: options.id },
    });
  }
}
