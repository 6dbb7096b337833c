import { NightshiftError } from '../../shared/NightshiftError.js';

/** An update named a record that does not exist; silently changing nothing would hide a bookkeeping bug. */
export class StoreRecordMissingError extends NightshiftError {
  constructor(options: {
    /** Kind of record, e.g. `session`, `task run`, `attempt`. */
    kind: string;
    /** The id that was not found. */
    id: string | number;
  }) {
    super({
      code: 'STORE_RECORD_MISSING',
      message: `No ${options.kind} with id ${options.id} exists in the Nightshift database.`,
      hint: 'This is a bug in the caller: it updated a record it never created. Please report it with the command you ran.',
      context: { kind: options.kind, id: options.id },
    });
  }
}
