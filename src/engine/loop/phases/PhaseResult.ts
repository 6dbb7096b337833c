/** A phase's value and the one-line detail recorded for it. */
export interface PhaseResult<T> {
  value: T;
  detail: string;
}
