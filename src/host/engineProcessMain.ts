/*
 * Entry of the engine process ("Nightshift engine"): the session supervisor starts it (a Node child under
 * `nightshift serve`, an Electron utilityProcess in the app), sends it one `run`, and gets every engine event
 * back, then `finished` or `failed`, after which the process exits. The engine is assembled exactly as
 * `nightshift run` assembles it, so a session run from the app is the same session the CLI would run. A
 * `stop` (or the parent going away) stops the session after the current step, keeping it resumable.
 */
import { assembleEngine } from '../assembly/assembleEngine.js';
import { formatProtocolIssues } from '../runtime/host/formatProtocolIssues.js';
import type { EngineEvent } from '../shared/engineEventSchema.js';
import { engineParentMessageSchema, type EngineChildMessage, type EngineRunOptions } from '../shared/engineProcessMessageSchema.js';
import { NightshiftError } from '../shared/NightshiftError.js';
import type { TaskStatus } from '../shared/taskStatus.js';
import { EngineProcessChannelMissingError } from './EngineProcessChannelMissingError.js';
import { EngineProcessMessageError } from './EngineProcessMessageError.js';
import { modelHostEngineEvent } from './modelHostEngineEvent.js';

/** How long a finishing process waits for its last messages to reach the parent before it exits anyway. */
const FLUSH_MS = 2000;

/** The slice of Electron's `process.parentPort` (utilityProcess) used here; electron is not imported. */
interface ParentPort {
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown;
  postMessage(message: unknown): void;
}

interface ParentChannel {
  send(message: EngineChildMessage): void;
  onMessage(listener: (message: unknown) => void): void;
  /** Called once when the parent goes away (Node IPC only; Electron ends a utility process with its parent). */
  onClose(listener: () => void): void;
  /** Resolves once the messages already sent are out, so the process can exit without losing them. */
  drain(): Promise<void>;
}

const channel = connectToParent();
const controller = new AbortController();
let started = false;
let ending = false;

const end = (message: EngineChildMessage, exitCode: number) => {
  if (ending) return;
  ending = true;
  channel.send(message);
  setTimeout(() => process.exit(exitCode), FLUSH_MS).unref();
  void channel.drain().then(() => process.exit(exitCode));
};
const die = (error: unknown) => end({ type: 'failed', error: NightshiftError.toData({ error }) }, 1);
process.on('uncaughtException', die);
process.on('unhandledRejection', die);

channel.onClose(() => controller.abort());
// Ctrl-C in a terminal reaches the whole process group: the session stops after its step, as on a `stop`.
process.on('SIGINT', () => controller.abort());
process.on('SIGTERM', () => controller.abort());
channel.onMessage((raw) => {
  const parsed = engineParentMessageSchema.safeParse(raw);
  if (!parsed.success) {
    die(new EngineProcessMessageError({ from: 'supervisor', issues: formatProtocolIssues({ error: parsed.error }) }));
    return;
  }
  if (parsed.data.type === 'stop') {
    controller.abort();
    return;
  }
  // One run per process: the supervisor starts a fresh process for the next, so a second `run` is a bug there.
  if (started) {
    die(new EngineProcessMessageError({ from: 'supervisor', issues: 'a second run was sent to a process that already runs one' }));
    return;
  }
  started = true;
  void runSession(parsed.data.options).then((finished) => end(finished, 0), die);
});

async function runSession(options: EngineRunOptions): Promise<EngineChildMessage> {
  let sessionId: string | null = null;
  const emit = (event: EngineEvent) => {
    if (event.type === 'session/started') sessionId = event.sessionId;
    if (!ending) channel.send({ type: 'event', event });
  };
  const { engine, dispose } = await assembleEngine({
    dataDir: options.dataDir,
    ...(options.nativeBinding !== null ? { nativeBinding: options.nativeBinding } : {}),
    models: {
      spec: options.models.spec,
      cwd: options.projectDir,
      projectDir: options.projectDir,
      ...(options.models.profile ? { profileId: options.models.profile } : {}),
      onModelHostEvent: (event) => {
        const shown = modelHostEngineEvent({ event, at: Date.now(), projectPath: options.projectDir, sessionId });
        if (shown) emit(shown);
      },
    },
    sandbox: {
      ...(options.sandbox.preference ? { preference: options.sandbox.preference } : {}),
      allowUnsandboxed: options.sandbox.allowUnsandboxed,
      onProgress: (message) => emit({ type: 'log', at: Date.now(), level: 'info', message: `sandbox: ${message.trimEnd()}` }),
    },
  });
  try {
    const outcome = await engine.runSession({
      projectDir: options.projectDir,
      tasks: options.tasks,
      ...(options.maxTasks !== null ? { maxTasks: options.maxTasks } : {}),
      ...(options.maxAttempts !== null ? { maxAttempts: options.maxAttempts } : {}),
      ...(options.until !== null ? { until: options.until } : {}),
      mode: options.mode,
      ...(options.targetBranch !== null ? { targetBranch: options.targetBranch } : {}),
      resume: options.resume,
      again: options.again,
      allowFailingBaseline: options.allowFailingBaseline,
      command: 'the Nightshift app (engine process)',
      onEvent: emit,
      signal: controller.signal,
    });
    const counts: Record<TaskStatus, number> = { queued: 0, running: 0, done: 0, failed: 0, deadlocked: 0, escalated: 0, skipped: 0 };
    for (const task of outcome.tasks) counts[task.status] += 1;
    return {
      type: 'finished',
      sessionId: outcome.session.id,
      status: outcome.blocked ? 'blocked' : outcome.session.status === 'completed' ? 'completed' : 'stopped',
      counts,
      blockedReason: outcome.blocked?.reason ?? null,
    };
  } finally {
    await dispose();
  }
}

/** Electron's `process.parentPort` when this runs as a utilityProcess, Node's fork IPC otherwise. */
function connectToParent(): ParentChannel {
  const parentPort = (process as NodeJS.Process & { parentPort?: ParentPort }).parentPort;
  if (parentPort) {
    return {
      send: (message) => parentPort.postMessage(message),
      onMessage: (listener) => parentPort.on('message', (event) => listener(event.data)),
      onClose() {},
      drain: async () => {},
    };
  }
  const send = process.send?.bind(process);
  if (!send) throw new EngineProcessChannelMissingError();
  let unsent = 0;
  let drained: (() => void) | null = null;
  return {
    send(message) {
      unsent += 1;
      // A failed send means the parent is gone; `disconnect` follows and stops the session.
      send(message, undefined, undefined, () => {
        unsent -= 1;
        if (unsent === 0) drained?.();
      });
    },
    onMessage: (listener) => process.on('message', listener),
    onClose: (listener) => process.once('disconnect', listener),
    async drain() {
      // process.exit drops IPC messages still being written, so wait for the last send's callback.
      if (unsent > 0) await new Promise<void>((resolve) => (drained = resolve));
    },
  };
}
