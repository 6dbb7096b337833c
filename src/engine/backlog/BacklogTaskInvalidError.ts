import { NightshiftError } from '../../shared/NightshiftError.js';

/** A field of a backlog task that an edit can be refused for. */
export type BacklogTaskField = 'id' | 'title' | 'dependsOn';

/**
 * A backlog edit was refused. `field` names the input to show `reason` next to, so a form can point at it;
 * both travel in the context as well, since that is what crosses the protocol.
 */
export class BacklogTaskInvalidError extends NightshiftError {
  readonly field: BacklogTaskField;
  readonly reason: string;

  constructor(options: {
    /** Id of the task as edited. */
    taskId: string;
    field: BacklogTaskField;
    /** Why the field is refused, in a few words a form can show as is (`the title is empty`). */
    reason: string;
  }) {
    super({
      code: 'BACKLOG_TASK_INVALID',
      message: `Task ${options.taskId === '' ? '(no id)' : options.taskId} cannot be saved: ${options.reason}.`,
      hint: `Correct the task's ${options.field} and save again; the backlog was left as it was.`,
      context: { taskId: options.taskId, field: options.field, reason: options.reason },
    });
    this.field = options.field;
    this.reason = options.reason;
  }
}
