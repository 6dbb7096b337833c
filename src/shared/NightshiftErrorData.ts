/**
 * A `NightshiftError` as plain data, the one wire form every process boundary uses (model host, IPC, HTTP).
 * `name` is the class name on the side that threw; `context` holds only what survives JSON.
 */
export interface NightshiftErrorData {
  name: string;
  code: string;
  message: string;
  hint: string;
  context: Record<string, unknown>;
  /** The error's cause, flattened the same way; absent when it had none. */
  cause?: NightshiftErrorData;
}
