import {
  modelHostChildMessageSchema,
  type BackendSpec,
  type EmbeddingResult,
  type HostedError,
  type ModelHostStats,
} from '../../shared/modelHostProtocol.js';
import type { ModelRole } from '../../shared/modelRole.js';
import type { JsonGenerateRequest } from '../../shared/model/JsonGenerateRequest.js';
import type { JsonGenerateResult } from '../../shared/model/JsonGenerateResult.js';
import { EmbeddingNotConfiguredError } from '../llama/EmbeddingNotConfiguredError.js';
import { ModelCallAbortedError } from '../../shared/model/ModelCallAbortedError.js';
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

interface PendingBase {
  child: Child;
  /** The role and prompt id errors name; `embedding` and a synthetic id for embed calls. */
  role: string;
  promptId: string;
  sent: boolean;
  onToken: ((text: string) => void) | undefined;
  reject: (error: Error) => void;
}

/** A call waiting for its answer: a generation or an embedding, answered by `result` or `embedding`. */
type PendingCall =
  | (PendingBase & { kind: 'generate'; request: JsonGenerateRequest; resolve: (result: JsonGenerateResult) => void })
  | (PendingBase & { kind: 'embed'; texts: string[]; resolve: (result: EmbeddingResult) => void });

/**
 * Runs a JsonModelBackend in a separate process, so a llama.cpp crash or out-of-memory kill takes down
 * only that process: calls travel over modelHostProtocol and their tokens stream back. The process
 * starts on the first call (or `start()`). When it dies, the calls it was running reject with a
 * retryable ModelHostCrashedError and the next call starts a fresh process; after `maxRestarts`
 * restarts within `windowMs`, calls reject with ModelHostUnavailableError instead. A call's AbortSignal
 * cancels it in the child and rejects it at once with ModelCallAbortedError (named `AbortError`).
 * `embed()` calls travel and fail the same way, for a spec with an embedding model.
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
    if (call.kind === 'embed') {
      call.child.process.send({ type: 'embed', callId, request: { texts: call.texts } });
      return;
    }
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
      case 'embedding': {
        const call = settle(message.callId);
        if (!call) return;
        if (call.kind === 'generate' && message.type === 'result') call.resolve(message.result);
        else if (call.kind === 'embed' && message.type === 'embedding') call.resolve(message.result);
        else call.reject(new ModelHostInvalidMessageError({ messageType: message.type, problem: `call ${message.callId} is a ${call.kind} call` }));
        return;
      }
      case 'error': {
        if (message.callId === null) {
          emit({ type: 'protocol-error', error: rebuildHostedError({ error: message.error, role: '(none)', promptId: '(none)' }) });
          return;
        }
        const call = settle(message.callId);
        call?.reject(rebuildHostedError({ error: message.error, role: call.role, promptId: call.promptId }));
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
      const now = Date.now();
      emit({
        type: 'crash',
        pid: from.process.pid,
        exitCode: exit.exitCode,
        signal: exit.signal,
        inFlightCalls: calls.length,
        // The same count currentChild checks before it starts the replacement.
        restarting: restartTimes.filter((at) => at > now - windowMs).length < maxRestarts,
        ...(exit.stderrTail ? { stderrTail: exit.stderrTail } : {}),
      });
    }
    const failure = (role: string | null, promptId: string | null): Error => {
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
      call.reject(failure(call.role, call.promptId));
    }
  };

  /**
   * Sends a call to the current process (starting one if needed, or once it is ready) and settles it
   * with its answer, the process's death, or the signal's abort, which also cancels it in the child.
   */
  const dispatch = async <T>(
    target: { role: string; promptId: string; signal: AbortSignal | undefined },
    build: (base: Omit<PendingBase, 'onToken'>, resolve: (result: T) => void) => PendingCall,
  ): Promise<T> => {
    const { role, promptId, signal } = target;
    const aborted = () => new ModelCallAbortedError({ role, promptId });
    if (disposing || signal?.aborted) throw aborted();
    const running = currentChild();
    // Only a process that could not start at all has exited already; its ready promise says why.
    if (running.exit) await running.ready;
    const callId = `call-${++nextId}`;
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        const call = settle(callId);
        if (!call) return;
        if (call.sent) call.child.process.send({ type: 'cancel', callId });
        call.reject(aborted());
      };
      const done = () => signal?.removeEventListener('abort', onAbort);
      const call = build(
        {
          child: running,
          role,
          promptId,
          sent: false,
          reject: (error) => {
            done();
            reject(error);
          },
        },
        (result) => {
          done();
          resolve(result);
        },
      );
      pending.set(callId, call);
      signal?.addEventListener('abort', onAbort, { once: true });
      if (running.models) send(call, callId);
    });
  };

  const fromSpec = (role: ModelRole) =>
    spec.kind === 'llama' ? { model: spec.roles[role].modelId, backend: 'llama.cpp' } : { model: `scripted-${role}`, backend: 'scripted' };

  return {
    generate: (request, callOptions) =>
      dispatch<JsonGenerateResult>({ role: request.role, promptId: request.promptId, signal: callOptions?.signal }, (base, resolve) => ({
        ...base,
        kind: 'generate',
        request,
        onToken: callOptions?.onToken,
        resolve,
      })),

    embed(embedOptions) {
      if (spec.kind !== 'llama' || !spec.embedding) return Promise.reject(new EmbeddingNotConfiguredError({ backend: spec.kind === 'llama' ? 'llama.cpp' : spec.kind }));
      const { texts, signal } = embedOptions;
      return dispatch<EmbeddingResult>({ role: 'embedding', promptId: `embed(${texts.length})`, signal }, (base, resolve) => ({
        ...base,
        kind: 'embed',
        texts,
        onToken: undefined,
        resolve,
      }));
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
          call.reject(new ModelCallAbortedError({ role: call.role, promptId: call.promptId }));
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
