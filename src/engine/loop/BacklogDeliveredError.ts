import { NightshiftError } from '../../shared/NightshiftError.js';
import type { DeliveredTask } from './DeliveredTask.js';
import { describeDelivered } from './describeDelivered.js';

/** Every task of the backlog was already delivered, unchanged, by earlier sessions: no session is started. */
export class BacklogDeliveredError extends NightshiftError {
  readonly delivered: DeliveredTask[];

  constructor(options: { delivered: DeliveredTask[] }) {
    super({
      code: 'BACKLOG_DELIVERED',
      message: `Every task of this backlog was already delivered: ${describeDelivered(options.delivered)}.`,
      hint: 'Nothing to do; no session was started. Run with --again to do them again, or edit a task to run it.',
      context: { delivered: options.delivered },
    });
    this.delivered = options.delivered;
  }
}
