/** A task of the backlog that an earlier session of the project already delivered, unchanged. */
export interface DeliveredTask {
  taskId: string;
  title: string;
  /** The session that delivered it. */
  sessionId: string;
  /** The branch it was delivered to. */
  branch: string;
  commit: string;
}
