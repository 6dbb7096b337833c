/** Ends the attempt with an AbortError once the session was asked to stop. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw Object.assign(new Error('The session was stopped.'), { name: 'AbortError' });
}
