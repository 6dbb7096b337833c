import { NightshiftError } from '../../shared/NightshiftError.js';
import type { EngineEvent } from '../../shared/engineEventSchema.js';
import type { ModelRole } from '../../shared/modelRole.js';
import type { ModelTryResult, ProtocolFailure, ResidencyReport } from '../../shared/protocol.js';
import type { NightshiftApi } from '../api/NightshiftApi.js';

/** A try's default output cap: enough to judge a model's voice and speed. */
const DEFAULT_TRY_MAX_TOKENS = 256;

/** Which model the load buttons and the try box mean: a role's (from the host's profile or file) or a GGUF file. */
export type ResidencyTarget = { kind: 'role'; role: ModelRole } | { kind: 'file'; file: string };

/**
 * The Models view's Residency section: what the app's model host has loaded (with measured against
 * estimated memory and the counters), load, unload and pin, and the try box, whose output streams in
 * from `models/try-token` events matched by the try's id.
 */
export class ResidencyState {
  report = $state<ResidencyReport | null>(null);
  loading = $state(false);
  /** A load, unload or pin is on its way to the host; the buttons wait for it. */
  busy = $state(false);
  /** The latest failure of a residency action, shown until the next success or dismissal. */
  error = $state<ProtocolFailure | null>(null);

  /** What the try box runs on. */
  target = $state<ResidencyTarget>({ kind: 'role', role: 'coder' });
  prompt = $state('');
  /** Output token cap of a try, so a model that rambles stops in seconds; null or empty for the context's room. */
  maxTokens = $state<number | null>(DEFAULT_TRY_MAX_TOKENS);
  /** A try prompt is generating. */
  trying = $state(false);
  /** The try's text so far, as its tokens arrive. */
  output = $state('');
  /** The last finished try's figures; null while one runs and before the first. */
  result = $state<ModelTryResult | null>(null);
  /** Why the last try failed. */
  tryError = $state<ProtocolFailure | null>(null);

  readonly #api: NightshiftApi;
  #tryId: string | null = null;
  #tries = 0;

  constructor(options: {
    /** The host the models are loaded in. */
    api: NightshiftApi;
  }) {
    this.#api = options.api;
  }

  /** Follows the host's try events; returns a function that stops following. */
  attach(): () => void {
    return this.#api.onEvent((event) => this.receive(event));
  }

  /** Takes one event: a token or the figures of the try running now; everything else is ignored. */
  receive(event: EngineEvent): void {
    if (event.type === 'models/try-token' && event.tryId === this.#tryId) this.output += event.text;
    else if (event.type === 'models/try-finished' && event.tryId === this.#tryId) this.result = tryResultOf(event);
  }

  async refresh(): Promise<void> {
    this.loading = true;
    try {
      this.report = await this.#api.invoke('models/residency', {});
    } catch (error) {
      this.error = toFailure(error);
    } finally {
      this.loading = false;
    }
  }

  /** Loads the target's model, evicting models that are neither pinned nor busy. */
  load(target: ResidencyTarget = this.target): Promise<void> {
    return this.#act(() => this.#api.invoke('models/load', target.kind === 'role' ? { role: target.role } : { ggufFile: target.file }));
  }

  unload(modelId: string): Promise<void> {
    return this.#act(() => this.#api.invoke('models/unload', { modelId }));
  }

  pin(modelId: string, pinned: boolean): Promise<void> {
    return this.#act(() => this.#api.invoke('models/pin', { modelId, pinned }));
  }

  /** Runs the prompt on the target, streaming its text into `output`; the model loads first when needed. */
  async runTry(): Promise<void> {
    const prompt = this.prompt.trim();
    if (prompt === '' || this.trying) return;
    const tryId = `try-${Date.now()}-${++this.#tries}`;
    this.#tryId = tryId;
    this.trying = true;
    this.output = '';
    this.result = null;
    this.tryError = null;
    const target = this.target;
    const cap = this.maxTokens;
    const maxTokens = cap !== null && Number.isInteger(cap) && cap > 0 ? cap : null;
    try {
      const result = await this.#api.invoke('models/try', {
        tryId,
        prompt,
        ...(target.kind === 'role' ? { role: target.role } : { ggufFile: target.file }),
        ...(maxTokens === null ? {} : { maxTokens }),
      });
      if (this.#tryId !== tryId) return;
      // The answer is whole even when an event was missed (a reconnecting event stream).
      this.output = result.text;
      this.result = result;
    } catch (error) {
      if (this.#tryId === tryId) this.tryError = toFailure(error);
    } finally {
      if (this.#tryId === tryId) this.trying = false;
    }
    await this.refresh();
  }

  dismissError(): void {
    this.error = null;
  }

  async #act(call: () => Promise<ResidencyReport>): Promise<void> {
    this.busy = true;
    try {
      this.report = await call();
      this.error = null;
    } catch (error) {
      this.error = toFailure(error);
      await this.refresh();
    } finally {
      this.busy = false;
    }
  }
}

function tryResultOf(event: Extract<EngineEvent, { type: 'models/try-finished' }>): ModelTryResult {
  const { tryId, modelId, role, text, promptTokens, outputTokens, timeToFirstTokenMs, tokensPerSecond, durationMs } = event;
  return { tryId, modelId, role, text, promptTokens, outputTokens, timeToFirstTokenMs, tokensPerSecond, durationMs };
}

function toFailure(error: unknown): ProtocolFailure {
  return NightshiftError.toData({ error, fallback: { code: 'UNEXPECTED', hint: 'Try again; if it keeps failing, restart the app.' } });
}
