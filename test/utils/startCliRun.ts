import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { onTestFinished } from 'vitest';
import type { EngineEvent } from '../../src/shared/engineEventSchema.js';
import { CLI_BIN } from './runCli.js';

/** A `nightshift run --json` started in the background, with its events as they come. */
export interface CliRun {
  child: ChildProcess;
  pid: number;
  events: EngineEvent[];
  /** Resolves with the first event (already seen or still to come) that `accept` takes. */
  waitFor(accept: (event: EngineEvent) => boolean): Promise<EngineEvent>;
  /** Resolves once the process has ended, with its exit code or signal and its stderr. */
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

/** Starts the real CLI with `args` (which should include `--json`); the process is killed when the test ends. */
export function startCliRun(args: string[]): CliRun {
  const child = spawn(process.execPath, [CLI_BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  onTestFinished(() => void child.kill('SIGKILL'));
  const events: EngineEvent[] = [];
  const waiters: Array<{ accept: (event: EngineEvent) => boolean; resolve: (event: EngineEvent) => void }> = [];
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const event = JSON.parse(line) as EngineEvent;
    events.push(event);
    for (const waiter of [...waiters]) {
      if (waiter.accept(event)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(event);
      }
    }
  });
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stderr }));
  });
  return {
    child,
    pid: child.pid ?? -1,
    events,
    waitFor: (accept) =>
      new Promise((resolve, reject) => {
        const seen = events.find(accept);
        if (seen) return resolve(seen);
        waiters.push({ accept, resolve });
        void done.then(({ code, signal, stderr: text }) => reject(new Error(`nightshift ended (${code ?? signal}) before the awaited event: ${text}`)));
      }),
    done,
  };
}
