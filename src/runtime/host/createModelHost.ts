import {
  modelHostChildMessageSchema,
  type BackendSpec,
  type HostedError,
  type ModelHostStats,
} from '../../shared/modelHostProtocol.js';
import type { ModelRole } from '../../shared/modelRole.js';
import type { JsonGenerateRequest, JsonGenerateResult } from '../backend/JsonModelBackend.js';
import { ModelCallAbortedError } from '../scripted/ModelCallAbortedError.js';
import { forkModelHost } from './forkModelHost.js';
import type { ModelHost, ModelHostEvent } from './ModelHost.js';
import { ModelHostCrashedError } from './ModelHostCrashedError.js';
import { ModelHostInvalidMessageError } from './ModelHostInvalidMessageError.js';
import type { ModelHostExit, ModelHostProcess, SpawnModelHost } from './ModelHostProcess.js';
import { ModelHostUnavailableError } from './ModelHostUnavailableError.js';
import { formatProtocolIssues } from './formatProtocolIssues.js';
import { rebuildHostedError } from './rebuildHostedError.js';

const DEFAULT_MAX_RESTARTS = 3;
const DEFAULT_RESTART_WINDOW_MS = 10 * 60_000;
/** Loading a large model from a slow disk can take minutes; a child silent for longer is stuck. */
const DEFAULT_START_TIMEOUT_MS = 5 * 60_000;
const DEFAULT_SHUTDOWN_TIMEOUT_MS = 5_000;

type Models = Record<ModelRole, { model: string; backend: string }>;

interface Child {
  process: ModelHostProcess;
  spawnedAt: number;
  models: Models | null;
  /** Resolves when the backend is built; rejects when the process ends first. */
  ready: Promise<void>;
  markReady: () => void;
  markFailed: (error: Error) => void;
  /** The child's own account of why it is about to exit. */
  fatal: HostedError | null;
  exit: ModelHostExit | null;
  /** Why the host ended the process itself (a startup timeout, a protocol violation). */
  lostReason: string | null;
  startTimer: ReturnType<typeof setTimeout>;
}

interface PendingCall {
  child: Child;
  request: JsonGenerateRequest;
  sent: boolean;
  onToken: ((text: string) => void) | undefined;
  resolve: (result: JsonGenerateResult) => void;
  reject: (error: Error) => void;
}

/**
 * Runs a JsonModelBackend in a separate process, so a llama.cpp crash or out-of-memory kill takes down
 * only that process: calls travel over modelHostProtocol and their tokens stream back. The process
 * starts on the first call (or `start()`). When it dies, the calls it was running reject with a
 * retryable ModelHostCrashedError and the next call starts a fresh process; after `maxRestarts`
 * restarts within `windowMs`, calls reject with ModelHostUnavailableError instead. A call's AbortSignal
 * cancels it in the child and rejects it at once with ModelCallAbortedError (named `AbortError`).
 * `dispose()` asks the process to shut down and kills it if it has not exited in time. Wrap the host
 * with createModelClientFromBackend to get the engine's ModelClient.
 */
export function createModelHost(options: {
  /** The backend the process builds. */
  spec: BackendSpec;
  /** Starts a model process. Default: forkModelHost() (a Node child); the desktop app passes an Electron utilityProcess. */
  spawn?: SpawnModelHost;
  restart?: {
    /** Restarts allowed within the window before the host gives up. Default 3. */
    maxRestarts?: number;
    /** The sliding window restarts are counted over, in milliseconds. Default 600000 (10 minutes). */
    windowMs?: number;
  };
  /** How long a process may take to build its backend before it is killed, in milliseconds. Default 300000. */
  startTimeoutMs?: number;
  /** How long dispose() waits for a graceful exit before SIGKILL, in milliseconds. Default 5000. */
  shutdownTimeoutMs?: number;
  /** Told about starts, crashes and restarts. */
  onEvent?: (event: ModelHostEvent) => void;
}): ModelHost {
  const { spec } = options;
  const spawn = options.spawn ?? (() => forkModelHost());
  const maxRestarts = options.restart?.maxRestarts ?? DEFAULT_MAX_RESTARTS;
  const windowMs = options.restart?.windowMs ?? DEFAULT_RESTART_WINDOW_MS;
  const startTimeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
  const shutdownTimeoutMs = options.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS;
  const emit = (event: ModelHostEvent) => options.onEvent?.(event);

  const pending = new Map<string, PendingCall>();
  const statsRequests = new Map<string, { child: Child; resolve: (stats: ModelHostStats | null) => void }>();
  const restartTimes: number[] = [];
  let child: Child | null = null;
  let models: Models | null = null;
  let spawned = 0;
  let restarts = 0;
  let nextId = 0;
  let lastExit: string | null = null;
  let disposing: Promise<void> | null = null;

  const currentChild = (): Child => {
    if (child) return child;
    if (spawned > 0) {
      const now = Date.now();
      while (restartTimes.length > 0 && restartTimes[0]! <= now - windowMs) restartTimes.shift();
      if (restartTimes.length >= maxRestarts) throw new ModelHostUnavailableError({ restarts: restartTimes.length, windowMs, lastExit });
      restartTimes.push(now);
      restarts += 1;
      emit({ type: 'restart', restarts });
    }
    spawned += 1;
    return spawnChild();
  };

  const spawnChild = (): Child => {
    let markReady = () => {};
    let markFailed: (error: Error) => void = () => {};
    const ready = new Promise<void>((resolve, reject) => {
      markReady = resolve;
      markFailed = reject;
    });
    // Nobody may be waiting (a process that dies idle); its failure reaches callers through their calls.
    ready.catch(() => {});
    const started: Child = {
      process: spawn(),
      spawnedAt: performance.now(),
      models: null,
      ready,
      markReady,
      markFailed,
      fatal: null,
      exit: null,
      lostReason: null,
      startTimer: setTimeout(() => {
        if (started.models || started.exit) return;
        started.lostReason = `its backend was not ready within ${startTimeoutMs} ms`;
        started.process.kill('SIGKILL');
      }, startTimeoutMs),
    };
    started.startTimer.unref?.();
    // Current before any listener runs: a process that fails to start may report its exit at once.
    child = started;
    started.process.onMessage((message) => receive(started, message));
    started.process.onExit((exit) => exited(started, exit));
    started.process.send({ type: 'init', spec });
    return started;
  };

  const settle = (callId: string): PendingCall | null => {
    const call = pending.get(callId);
    if (!call) return null;
    pending.delete(callId);
    return call;
  };

  const send = (call: PendingCall, callId: string) => {
    call.sent = true;
    const { role, promptId, system, user, jsonSchema, meta, temperature, seed, maxTokens } = call.request;
    call.child.process.send({
      type: 'generate',
      callId,
      request: {
        role,
        promptId,
        system,
        user,
        jsonSchema,
        meta,
        ...(temperature === undefined ? {} : { temperature }),
        ...(seed === undefined ? {} : { seed }),
        ...(maxTokens === undefined ? {} : { maxTokens }),
      },
    });
  };

  const receive = (from: Child, raw: unknown) => {
    if (from.exit) return;
    const parsed = modelHostChildMessageSchema.safeParse(raw);
    if (!parsed.success) {
      // A child that speaks garbage cannot be trusted with the calls it holds; replace it.
      const problem = formatProtocolIssues({ error: parsed.error });
      emit({ type: 'protocol-error', error: new ModelHostInvalidMessageError({ messageType: readType(raw), problem }) });
      from.lostReason = `it sent an invalid message (${problem})`;
      from.process.kill('SIGKILL');
      return;
    }
    const message = parsed.data;
    switch (message.type) {
      case 'ready':
        clearTimeout(from.startTimer);
        from.models = message.models;
        models = message.models;
        emit({ type: 'ready', pid: message.pid, startMs: Math.round(performance.now() - from.spawnedAt) });
        from.markReady();
        for (const [callId, call] of pending) if (call.child === from && !call.sent) send(call, callId);
        return;
      case 'token': {
        const call = pending.get(message.callId);
        if (!call?.onToken) return;
        try {
          call.onToken(message.text);
        } catch (error) {
          settle(message.callId);
          from.process.send({ type: 'cancel', callId: message.callId });
          call.reject(error instanceof Error ? error : new Error(String(error)));
        }
        return;
      }
      case 'result':
        settle(message.callId)?.resolve(message.result);
        return;
      case 'error': {
        if (message.callId === null) {
          emit({ type: 'protocol-error', error: rebuildHostedError({ error: message.error, role: '(none)', promptId: '(none)' }) });
          return;
        }
        const call = settle(message.callId);
        call?.reject(rebuildHostedError({ error: message.error, role: call.request.role, promptId: call.request.promptId }));
        return;
      }
      case 'stats': {
        const request = statsRequests.get(message.requestId);
        statsRequests.delete(message.requestId);
        request?.resolve(message.stats);
        return;
      }
      case 'fatal':
        from.fatal = message.error;
        return;
    }
  };

  const exited = (from: Child, exit: ModelHostExit) => {
    from.exit = exit;
    clearTimeout(from.startTimer);
    if (child === from) child = null;
    lastExit = exit.signal ? `signal ${exit.signal}` : `exit code ${String(exit.exitCode)}`;
    for (const [requestId, request] of statsRequests) {
      if (request.child !== from) continue;
      statsRequests.delete(requestId);
      request.resolve(null);
    }
    const calls = [...pending].filter(([, call]) => call.child === from);
    if (!disposing) {
      emit({
        type: 'crash',
        pid: from.process.pid,
        exitCode: exit.exitCode,
        signal: exit.signal,
        inFlightCalls: calls.length,
        ...(exit.stderrTail ? { stderrTail: exit.stderrTail } : {}),
      });
    }
    const failure = (role: ModelRole | null, promptId: string | null): Error => {
      // A backend that could not be built failed for its own reason (a bad script, a missing model file).
      if (from.fatal && !from.models) return rebuildHostedError({ error: from.fatal, role: role ?? '(none)', promptId: promptId ?? '(none)' });
      return new ModelHostCrashedError({
        role,
        promptId,
        pid: from.process.pid,
        exitCode: exit.exitCode,
        signal: exit.signal,
        ...(exit.stderrTail ? { stderrTail: exit.stderrTail } : {}),
        ...(from.lostReason ? { reason: from.lostReason } : {}),
        ...(from.fatal ? { cause: rebuildHostedError({ error: from.fatal, role: role ?? '(none)', promptId: promptId ?? '(none)' }) } : {}),
      });
    };
    from.markFailed(failure(null, null));
    for (const [callId, call] of calls) {
      settle(callId);
      call.reject(failure(call.request.role, call.request.promptId));
    }
  };

  const fromSpec = (role: ModelRole) =>
    spec.kind === 'llama' ? { model: spec.roles[role].modelId, backend: 'llama.cpp' } : { model: `scripted-${role}`, backend: 'scripted' };

  return {
    async generate(request, callOptions) {
      const aborted = () => new ModelCallAbortedError({ role: request.role, promptId: request.promptId });
      const signal = callOptions?.signal;
      if (disposing || signal?.aborted) throw aborted();
      const target = currentChild();
      // Only a process that could not start at all has exited already; its ready promise says why.
      if (target.exit) await target.ready;
      const callId = `call-${++nextId}`;
      return new Promise<JsonGenerateResult>((resolve, reject) => {
        const onAbort = () => {
          const call = settle(callId);
          if (!call) return;
          if (call.sent) call.child.process.send({ type: 'cancel', callId });
          call.reject(aborted());
        };
        const done = () => signal?.removeEventListener('abort', onAbort);
        const call: PendingCall = {
          child: target,
          request,
          sent: false,
          onToken: callOptions?.onToken,
          resolve: (result) => {
            done();
            resolve(result);
          },
          reject: (error) => {
            done();
            reject(error);
          },
        };
        pending.set(callId, call);
        signal?.addEventListener('abort', onAbort, { once: true });
        if (target.models) send(call, callId);
      });
    },

    describe: (role) => models?.[role] ?? fromSpec(role),

    pid: () => child?.process.pid ?? null,

    restarts: () => restarts,

    async start() {
      if (disposing) throw new ModelCallAbortedError({ role: '(none)', promptId: '(start)' });
      await currentChild().ready;
    },

    async stats() {
      const target = child;
      if (!target || disposing) return null;
      try {
        await target.ready;
      } catch {
        return null;
      }
      if (target.exit) return null;
      const requestId = `stats-${++nextId}`;
      return new Promise<ModelHostStats | null>((resolve) => {
        statsRequests.set(requestId, { child: target, resolve });
        target.process.send({ type: 'stats', requestId });
      });
    },

    dispose() {
      disposing ??= (async () => {
        for (const [callId, call] of pending) {
          settle(callId);
          call.reject(new ModelCallAbortedError({ role: call.request.role, promptId: call.request.promptId }));
        }
        const target = child;
        if (!target) return;
        const gone = new Promise<void>((resolve) => target.process.onExit(() => resolve()));
        target.process.send({ type: 'shutdown' });
        const killer = setTimeout(() => target.process.kill('SIGKILL'), shutdownTimeoutMs);
        await gone;
        clearTimeout(killer);
      })();
      return disposing;
    },
  };
}

function readType(raw: unknown): string | null {
  const type = typeof raw === 'object' && raw !== null ? (raw as { type?: unknown }).type : undefined;
  return typeof type === 'string' ? type : null;
}
