import type { Writable } from 'node:stream';

const closed = new WeakSet<Writable>();

/**
 * Makes a closed stdout or stderr end quietly: `nightshift status | head -1`, a pager quit early, a
 * terminal that went away. Node reports a write to a closed pipe (EPIPE, EIO) as an 'error' event on the
 * stream, and without a listener that event kills the process with a stack trace, possibly between two
 * writes to the database. With the listener later writes fail quietly and the command carries on: a short
 * command ends as it would have, and `run` keeps recording its session to the end (see `nightshift
 * status`), so closing the pipe never costs the night's work.
 */
export const closedOutput = {
  /** Listens for write errors on the streams (default: stdout and stderr). Call once, before anything is written. */
  guard(options: { streams?: Writable[] } = {}): void {
    for (const stream of options.streams ?? [process.stdout, process.stderr]) {
      // process.stdout and process.stderr cannot be destroyed (Node keeps fds 1 and 2 open), so the
      // failure is remembered here instead.
      stream.on('error', () => closed.add(stream));
    }
  },
  /** Whether a write to `stream` has failed since guard() was called: nobody reads it any more. */
  isClosed(stream: Writable): boolean {
    return closed.has(stream);
  },
};
