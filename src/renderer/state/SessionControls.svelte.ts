import { NightshiftError } from '../../shared/NightshiftError.js';
import type { EngineEvent } from '../../shared/engineEventSchema.js';
import type { ProjectSettings } from '../../shared/projectSettingsSchema.js';
import { protocolRequestSchemas, type ProtocolFailure, type ProtocolRequest } from '../../shared/protocol.js';
import type { SessionControlState } from '../../shared/sessionControlStateSchema.js';
import type { NightshiftApi } from '../api/NightshiftApi.js';
import { describeControlState } from '../format/describeControlState.js';
import type { Tone } from '../format/statusTone.js';
import { SettingsForm } from './SettingsForm.svelte.js';

/** When the session runs, as the form edits it. */
export interface ScheduleDraft {
  /** `now`, or `later` at `startAt`. */
  when: 'now' | 'later';
  /** `HH:MM`, used when `when` is `later`. */
  startAt: string;
  /** `HH:MM` to stop at cleanly; empty: no end time. */
  until: string;
  /** Resume the project's unfinished session when there is one. */
  resume: boolean;
  /** Also run tasks earlier sessions delivered unchanged. */
  again: boolean;
}

/** A schedule field the host or the form can refuse. */
export type ScheduleField = 'startAt' | 'until';

/** What the supervisor does for one project and how to read it: the topbar chip's content. */
export interface ControlSummary {
  label: string;
  tone: Tone;
  /** The project it is about; null when nothing is known. */
  projectPath: string | null;
}

type ControlAction = 'session/pause' | 'session/resume' | 'session/stop';

/**
 * The session form of the current project (schedule, budgets, delivery, sandbox, models; prefilled from
 * its saved settings) and the supervisor's state for every project, kept current from `control/state`
 * events. Refusals land next to the field they name.
 */
export class SessionControls {
  /** The project the form starts sessions of; null before one is opened. */
  projectPath = $state<string | null>(null);
  /** The supervisor's latest state per project path. */
  states = $state<Record<string, SessionControlState>>({});
  schedule = $state<ScheduleDraft>({ when: 'now', startAt: '23:00', until: '', resume: true, again: false });
  scheduleErrors = $state<Partial<Record<ScheduleField, string>>>({});
  /** Budgets, delivery, sandbox and models for the next session. */
  readonly settings = new SettingsForm();
  /** A start, pause, resume or stop is on its way to the host. */
  busy = $state(false);
  /** The latest failure that names no field; shown in the banner until the next success or dismissal. */
  error = $state<ProtocolFailure | null>(null);

  /** The supervisor's state for the current project; null when it has none. */
  readonly current = $derived(this.projectPath === null ? null : (this.states[this.projectPath] ?? null));
  /** Nothing runs or waits for the current project, so a session can be started. */
  readonly canStart = $derived(this.projectPath !== null && (this.current === null || this.current.state === 'idle'));
  readonly canPause = $derived(this.current?.state === 'running' || this.current?.state === 'starting');
  readonly canResume = $derived(this.current?.state === 'paused');
  readonly canStop = $derived(
    this.current !== null && ['scheduled', 'starting', 'running', 'pausing', 'paused', 'restarting'].includes(this.current.state),
  );
  /**
   * The current project's state while it does something, else another project's that does, else the current
   * project's (idle, or stopped with an error).
   */
  readonly summary = $derived.by<ControlSummary>(() => {
    const active = Object.values(this.states).find((state) => state.state !== 'idle');
    const shown = this.current && this.current.state !== 'idle' ? this.current : (active ?? this.current);
    return { ...describeControlState({ state: shown }), projectPath: shown?.projectPath ?? null };
  });

  readonly #api: NightshiftApi;
  /** The saved settings the form was last filled from, as JSON. */
  #saved: string | undefined;

  constructor(options: {
    /** Where sessions are started and controlled. */
    api: NightshiftApi;
  }) {
    this.#api = options.api;
  }

  /** Reads what the supervisor is doing for every project. */
  async load(): Promise<void> {
    try {
      const states = await this.#api.invoke('session/control', {});
      this.states = Object.fromEntries(states.map((state) => [state.projectPath, state]));
    } catch (error) {
      this.error = toFailure(error);
    }
  }

  /**
   * Points the form at the project at `projectPath` (null: none) and fills it from `settings`, its saved
   * settings. The same settings again (the project's details were read again) keep the user's edits.
   */
  open(options: { projectPath: string | null; settings: ProjectSettings | null }): void {
    const saved = JSON.stringify(options.settings);
    if (options.projectPath === this.projectPath && saved === this.#saved) return;
    if (options.projectPath !== this.projectPath) {
      this.projectPath = options.projectPath;
      this.error = null;
      this.scheduleErrors = {};
    }
    this.#saved = saved;
    this.settings.load(options.settings);
  }

  /** Starts (or schedules) a session with the form's settings; false when the form or the host refused it. */
  async start(): Promise<boolean> {
    const projectPath = this.projectPath;
    if (projectPath === null || this.busy) return false;
    const settings = this.settings.read();
    const request = this.#request(projectPath, settings);
    if (request === null || settings === null) return false;
    return this.#send(projectPath, () => this.#api.invoke('session/start', request));
  }

  /** Stops after the current step, keeping the session resumable. */
  pause(): Promise<boolean> {
    return this.#action('session/pause');
  }

  resume(): Promise<boolean> {
    return this.#action('session/resume');
  }

  /** Stops after the current step, or cancels a scheduled start. */
  stop(): Promise<boolean> {
    return this.#action('session/stop');
  }

  /** Takes the supervisor's pushed state changes. */
  handleEvent(event: EngineEvent): void {
    if (event.type === 'control/state') this.#put(event.state);
  }

  dismissError(): void {
    this.error = null;
  }

  /** The start request, or null when a schedule field is refused by the protocol's own schema (see `scheduleErrors`). */
  #request(projectPath: string, settings: ProjectSettings | null): ProtocolRequest<'session/start'> | null {
    const { when, startAt, until, resume, again } = this.schedule;
    const request: ProtocolRequest<'session/start'> = {
      projectPath,
      ...(when === 'later' ? { startAt: startAt.trim() } : {}),
      ...(until.trim() === '' ? {} : { until: until.trim() }),
      ...(settings === null ? {} : { settings }),
      resume,
      again,
    };
    const errors: Partial<Record<ScheduleField, string>> = {};
    const parsed = protocolRequestSchemas['session/start'].safeParse(request);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = issue.path[0];
        if (field === 'startAt' || field === 'until') errors[field] ??= issue.message;
      }
    }
    this.scheduleErrors = errors;
    return Object.keys(errors).length === 0 ? request : null;
  }

  async #action(name: ControlAction): Promise<boolean> {
    const projectPath = this.projectPath;
    if (projectPath === null || this.busy) return false;
    return this.#send(projectPath, () => this.#api.invoke(name, { projectPath }));
  }

  async #send(projectPath: string, call: () => Promise<SessionControlState>): Promise<boolean> {
    this.busy = true;
    try {
      this.#put(await call());
      if (this.projectPath === projectPath) {
        this.error = null;
        this.scheduleErrors = {};
      }
      return true;
    } catch (error) {
      if (this.projectPath !== projectPath) return false;
      const failure = toFailure(error);
      const field = failure.context['field'];
      if (field === 'startAt' || field === 'until') {
        this.scheduleErrors = { [field]: SettingsForm.reasonOf(failure) };
        this.error = null;
      } else {
        this.error = this.settings.refuse(failure) ? null : failure;
      }
      return false;
    } finally {
      this.busy = false;
    }
  }

  /** Keeps the newer of two states for a project, so a late answer never undoes a pushed change. */
  #put(state: SessionControlState): void {
    const known = this.states[state.projectPath];
    if (known && known.updatedAt > state.updatedAt) return;
    this.states = { ...this.states, [state.projectPath]: state };
  }
}

function toFailure(error: unknown): ProtocolFailure {
  return NightshiftError.toData({ error, fallback: { code: 'UNEXPECTED', hint: 'Try again; if it keeps failing, restart the app.' } });
}
