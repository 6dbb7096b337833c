import {
  modelBackendStatsSchema,
  modelHostParentMessageSchema,
  type BackendSpec,
  type ModelBackendStats,
  type ModelHostParentMessage,
  type EmbeddingResult,
} from '../../shared/modelHostProtocol.js';
import { modelRoleSchema, type ModelRole } from '../../shared/modelRole.js';
import type { JsonModelBackend } from '../../shared/model/JsonModelBackend.js';
import { EmbeddingNotConfiguredError } from '../llama/EmbeddingNotConfiguredError.js';
import { ModelCallAbortedError } from '../../shared/model/ModelCallAbortedError.js';
import type { ChildTransport } from './createChildTransport.js';
import { createBackendFromSpec } from './createBackendFromSpec.js';
import { formatProtocolIssues } from './formatProtocolIssues.js';
import { ModelHostInvalidMessageError } from './ModelHostInvalidMessageError.js';
import { toHostedError } from './toHostedError.js';
import { createSerialQueue } from '../../shared/createSerialQueue.js';

type GenerateMessage = Extract<ModelHostParentMessage, { type: 'generate' }>;
type EmbedMessage = Extract<ModelHostParentMessage, { type: 'embed' }>;
type Embed = (options: { texts: string[]; signal?: AbortSignal }) => Promise<EmbeddingResult>;

/**
 * The model process's side of modelHostProtocol: builds the backend named by `init`, runs `generate`
 * calls (different roles at once, one at a time per role, in arrival order), streams their tokens,
 * runs `embed` calls (one at a time, beside the roles' calls) on backends that have `embed()`,
 * honours `cancel`, answers `stats` (with the backend's own load figures when it keeps them). Messages
 * that do not validate are answered with a ModelHostInvalidMessageError and otherwise ignored. Resolves
 * with the exit code once the parent sent `shutdown` or went away (0) or the backend could not be built
 * (1); the backend is disposed by then.
 */
export function serveModelHost(options: {
  /** The channel to the parent. */
  transport: ChildTransport;
  /** Builds the backend an `init` names. Default: createBackendFromSpec. */
  createBackend?: (spec: BackendSpec) => Promise<JsonModelBackend>;
}): Promise<{ exitCode: number }> {
  const { transport } = options;
  const createBackend = options.createBackend ?? ((spec: BackendSpec) => createBackendFromSpec({ spec }));
  const startedAt = performance.now();
  const calls = new Map<string, { controller: AbortController; running: boolean }>();
  const roleQueues = createSerialQueue<ModelRole | 'embedding'>();
  let backend: JsonModelBackend | null = null;
  let initStarted = false;
  let completedCalls = 0;
  let failedCalls = 0;

  return new Promise((resolve) => {
    let finishing = false;
    const finish = async (exitCode: number) => {
      if (finishing) return;
      finishing = true;
      for (const call of calls.values()) call.controller.abort();
      await backend?.dispose().catch(() => {});
      await transport.close();
      resolve({ exitCode });
    };

    const reject = (callId: string | null, messageType: string | null, problem: string) => {
      transport.send({ type: 'error', callId, error: toHostedError({ error: new ModelHostInvalidMessageError({ messageType, problem }) }) });
    };

    const init = async (spec: BackendSpec) => {
      initStarted = true;
      let built: JsonModelBackend;
      try {
        built = await createBackend(spec);
      } catch (error) {
        transport.send({ type: 'fatal', error: toHostedError({ error }) });
        await finish(1);
        return;
      }
      if (finishing) {
        await built.dispose().catch(() => {});
        return;
      }
      backend = built;
      const models = Object.fromEntries(modelRoleSchema.options.map((role) => [role, built.describe(role)])) as Record<ModelRole, { model: string; backend: string }>;
      transport.send({ type: 'ready', pid: process.pid, models });
    };

    const generate = (message: GenerateMessage, ready: JsonModelBackend) => {
      const { callId, request } = message;
      const call = { controller: new AbortController(), running: false };
      calls.set(callId, call);
      const { signal } = call.controller;
      void roleQueues
        .run({
          key: request.role,
          work: () => {
            if (signal.aborted) throw new ModelCallAbortedError({ role: request.role, promptId: request.promptId });
            call.running = true;
            return ready.generate(request, {
              signal,
              onToken: (text) => {
                if (!signal.aborted) transport.send({ type: 'token', callId, text });
              },
            });
          },
        })
        .then(
          (result) => {
            completedCalls += 1;
            transport.send({ type: 'result', callId, result });
          },
          (error: unknown) => {
            failedCalls += 1;
            transport.send({ type: 'error', callId, error: toHostedError({ error }) });
          },
        )
        .finally(() => calls.delete(callId));
    };

    const embed = (message: EmbedMessage, ready: JsonModelBackend) => {
      const { callId, request } = message;
      const call = { controller: new AbortController(), running: false };
      calls.set(callId, call);
      const { signal } = call.controller;
      void roleQueues
        .run({
          key: 'embedding',
          work: () => {
            if (signal.aborted) throw new ModelCallAbortedError({ role: 'embedding', promptId: callId });
            const method = (ready as { embed?: unknown }).embed;
            if (typeof method !== 'function') throw new EmbeddingNotConfiguredError({ backend: ready.describe('coder').backend });
            call.running = true;
            return (method as Embed).call(ready, { texts: request.texts, signal });
          },
        })
        .then(
          (result) => {
            completedCalls += 1;
            transport.send({ type: 'embedding', callId, result });
          },
          (error: unknown) => {
            failedCalls += 1;
            transport.send({ type: 'error', callId, error: toHostedError({ error }) });
          },
        )
        .finally(() => calls.delete(callId));
    };

    const handle = (raw: unknown) => {
      if (finishing) return;
      const parsed = modelHostParentMessageSchema.safeParse(raw);
      if (!parsed.success) {
        const { type, callId } = readableParts(raw);
        reject(type === 'generate' || type === 'embed' ? callId : null, type, formatProtocolIssues({ error: parsed.error }));
        return;
      }
      const message = parsed.data;
      switch (message.type) {
        case 'init':
          if (initStarted) reject(null, 'init', 'the backend is already initialised');
          else void init(message.spec);
          return;
        case 'generate':
          if (!backend) reject(message.callId, 'generate', 'no backend yet: send init and wait for ready');
          else if (calls.has(message.callId)) reject(null, 'generate', `call ${message.callId} is already running`);
          else generate(message, backend);
          return;
        case 'embed':
          if (!backend) reject(message.callId, 'embed', 'no backend yet: send init and wait for ready');
          else if (calls.has(message.callId)) reject(null, 'embed', `call ${message.callId} is already running`);
          else embed(message, backend);
          return;
        case 'cancel':
          // A call that already ended has nothing to cancel; its answer is on the way.
          calls.get(message.callId)?.controller.abort();
          return;
        case 'stats': {
          const memory = process.memoryUsage();
          const running = [...calls.values()].filter((call) => call.running).length;
          const backendStats = backend ? readBackendStats(backend) : null;
          transport.send({
            type: 'stats',
            requestId: message.requestId,
            stats: {
              pid: process.pid,
              uptimeMs: Math.round(performance.now() - startedAt),
              rssBytes: memory.rss,
              heapUsedBytes: memory.heapUsed,
              activeCalls: running,
              queuedCalls: calls.size - running,
              completedCalls,
              failedCalls,
              ...(backendStats ? { backend: backendStats } : {}),
            },
          });
          return;
        }
        case 'shutdown':
          void finish(0);
          return;
      }
    };

    transport.onClose(() => void finish(0));
    transport.onMessage(handle);
  });
}

/**
 * The backend's load accounting when it keeps one (a `stats()` method, as the llama backend has) in the
 * protocol's shape; null otherwise, so a backend with other figures never makes the answer invalid.
 */
function readBackendStats(backend: JsonModelBackend): ModelBackendStats | null {
  const { stats } = backend as { stats?: unknown };
  if (typeof stats !== 'function') return null;
  const parsed = modelBackendStatsSchema.safeParse(stats.call(backend));
  return parsed.success ? parsed.data : null;
}

function readableParts(raw: unknown): { type: string | null; callId: string | null } {
  if (typeof raw !== 'object' || raw === null) return { type: null, callId: null };
  const { type, callId } = raw as { type?: unknown; callId?: unknown };
  return { type: typeof type === 'string' ? type : null, callId: typeof callId === 'string' && callId !== '' ? callId : null };
}
