import { MODEL_PROBE } from '../../shared/model/MODEL_PROBE.js';
import type { JsonModelBackend } from '../../shared/model/JsonModelBackend.js';
import type { ModelCallMeta } from '../../shared/model/ModelCallMeta.js';
import { ModelCallAbortedError } from '../../shared/model/ModelCallAbortedError.js';
import type { ModelRole } from '../../shared/modelRole.js';
import { ScriptExhaustedError } from './ScriptExhaustedError.js';
import type { ScriptedAnswer, ScriptedScript } from './scriptedScriptSchema.js';

/** The phases that call models, each answered from the script key of the same name. */
const SCRIPTED_PHASES = new Set(['plan', 'red', 'green', 'review'] as const);
type ScriptedPhase = typeof SCRIPTED_PHASES extends Set<infer P> ? P : never;
/** Streaming splits each reply into this many pieces, enough to exercise token consumers. */
const CHUNKS = 4;
const CHARS_PER_TOKEN = 4;

/**
 * A deterministic model backend that replays answers from a script, chosen by the call's meta (task and
 * phase); the JSON Schema is ignored. The n-th call for a task and phase gets the n-th answer; past the
 * end the last answer repeats, so one bad answer drives a retry loop to its deadlock. A task with
 * `attempts` answers attempt k from entry k (the last entry past the end), the n-th call of a phase within
 * that attempt with the entry's n-th answer; a phase the entry leaves out falls back to the task's own list. JSON answers are
 * sent pretty-printed, `{ raw }` answers as their literal text; either way the text is streamed through
 * onToken in a few chunks and handed back unvalidated, like a real backend's, so a bad answer is rejected
 * where a real model's would be (createModelClientFromBackend, or across the host and HTTP, the remote
 * caller). Throws ScriptExhaustedError when the script has nothing for the call (except the preflight's
 * probe, answered by itself), and ModelCallAbortedError when the signal aborts or the backend is disposed
 * mid-call.
 */
export function createScriptedModels(options: {
  /** The answers; validate files with loadScriptedModels. */
  script: ScriptedScript;
  /** Where the script came from, named in errors. */
  scriptPath?: string;
  /** Pause before each streamed chunk in milliseconds, to mimic generation speed. Default 0. */
  delayMs?: number;
}): JsonModelBackend {
  const { script } = options;
  const delayMs = options.delayMs ?? 0;
  const calls = new Map<string, number>();
  const disposed = new AbortController();

  const nextAnswer = (meta: ModelCallMeta): ScriptedAnswer => {
    const { taskId, phase } = meta;
    const key = SCRIPTED_PHASES.has(phase as ScriptedPhase) ? (phase as ScriptedPhase) : null;
    const task = script.tasks[taskId];
    const attempts = task?.attempts;
    const attemptAnswers = key && attempts ? attempts[Math.min(Math.max(meta.attempt, 1), attempts.length) - 1]?.[key] : undefined;
    const answers = attemptAnswers ?? (key && (task?.[key] ?? (key === 'review' ? script.defaults?.review : undefined)));
    // The preflight's probe is answered without a script entry; a script may still give it answers to test a bad one.
    if ((!answers || answers.length === 0) && taskId === MODEL_PROBE.taskId) return MODEL_PROBE.answer;
    if (!answers || answers.length === 0) throw new ScriptExhaustedError({ taskId, phase, scriptPath: options.scriptPath ?? null });
    // An attempt's own answers are counted within that attempt; the task's lists across the task's attempts.
    const callKey = attemptAnswers ? `${taskId}\u0000${phase}\u0000${meta.attempt}` : `${taskId}\u0000${phase}`;
    const index = calls.get(callKey) ?? 0;
    calls.set(callKey, index + 1);
    return answers[Math.min(index, answers.length - 1)]!;
  };

  const describe = (role: ModelRole) => ({ model: script.models?.[role] ?? `scripted-${role}`, backend: 'scripted' });

  return {
    async generate(request, callOptions = {}) {
      const started = performance.now();
      const aborted = () => new ModelCallAbortedError({ role: request.role, promptId: request.promptId });
      const signal = callOptions.signal ? AbortSignal.any([callOptions.signal, disposed.signal]) : disposed.signal;
      if (signal.aborted) throw aborted();
      const answer = nextAnswer(request.meta);
      const text = isRaw(answer) ? answer.raw : JSON.stringify(answer, null, 2);

      let firstTokenAt = started;
      const size = Math.max(1, Math.ceil(text.length / CHUNKS));
      const chunks = text === '' ? [''] : Array.from({ length: Math.ceil(text.length / size) }, (_, i) => text.slice(i * size, (i + 1) * size));
      for (const [index, chunk] of chunks.entries()) {
        await pause(delayMs, signal);
        if (signal.aborted) throw aborted();
        if (index === 0) firstTokenAt = performance.now();
        callOptions.onToken?.(chunk);
      }

      return {
        text,
        ...describe(request.role),
        usage: {
          promptTokens: Math.ceil((request.system.length + request.user.length) / CHARS_PER_TOKEN),
          outputTokens: Math.ceil(text.length / CHARS_PER_TOKEN),
          durationMs: Math.round(performance.now() - started),
          timeToFirstTokenMs: Math.round(firstTokenAt - started),
        },
      };
    },

    describe,

    async dispose() {
      disposed.abort();
    },
  };
}

function isRaw(answer: ScriptedAnswer): answer is { raw: string } {
  return typeof answer === 'object' && answer !== null && !Array.isArray(answer) && Object.keys(answer).length === 1 && typeof answer.raw === 'string';
}

/** Waits `ms` (at least one macrotask, so callers can abort between chunks), ending early on abort. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
