import { NightshiftError } from '../../shared/NightshiftError.js';
import type { EngineEvent } from '../../shared/engineEventSchema.js';
import type {
  ProjectInfo,
  ProtocolFailure,
  ProtocolResponse,
  SessionSummary,
  TaskExplanationSummary,
} from '../../shared/protocol.js';
import type { TaskStatus } from '../../shared/taskStatus.js';
import type { NightshiftApi } from '../api/NightshiftApi.js';

/**
 * The morning review: the sessions, the selected session's tasks and the selected task's explanation.
 * Every load checks on arrival that its selection is still current, so a slow answer never overwrites a
 * newer choice.
 */
export class ReviewState {
  /** The open project, or null to list every project's sessions. */
  project = $state<ProjectInfo | null>(null);
  sessions = $state<SessionSummary[]>([]);
  selectedSessionId = $state<string | null>(null);
  session = $state<ProtocolResponse<'session/get'> | null>(null);
  selectedTaskRunId = $state<number | null>(null);
  explanation = $state<TaskExplanationSummary | null>(null);
  /** The latest failure, shown until the next successful action or dismissal. */
  error = $state<ProtocolFailure | null>(null);
  loadingSessions = $state(false);
  loadingSession = $state(false);
  loadingExplanation = $state(false);

  /** Task counts over the listed sessions, for the header. */
  readonly totals = $derived.by(() => {
    const totals: Partial<Record<TaskStatus, number>> = {};
    for (const session of this.sessions) {
      for (const [status, count] of Object.entries(session.counts) as Array<[TaskStatus, number]>) {
        totals[status] = (totals[status] ?? 0) + count;
      }
    }
    return totals;
  });

  readonly #api: NightshiftApi;

  constructor(options: {
    /** Where the data comes from. */
    api: NightshiftApi;
  }) {
    this.#api = options.api;
  }

  async loadSessions(): Promise<void> {
    const project = this.project;
    this.loadingSessions = true;
    try {
      const sessions = await this.#api.invoke('session/list', project ? { projectPath: project.path } : {});
      if (this.project !== project) return;
      this.sessions = sessions;
      this.error = null;
      if (this.selectedSessionId !== null && !sessions.some((session) => session.id === this.selectedSessionId)) {
        this.#clearSelection();
      }
    } catch (error) {
      this.#fail(error);
    } finally {
      if (this.project === project) this.loadingSessions = false;
    }
  }

  async selectSession(id: string): Promise<void> {
    if (this.selectedSessionId !== id) {
      this.selectedSessionId = id;
      this.session = null;
      this.selectedTaskRunId = null;
      this.explanation = null;
    }
    this.loadingSession = true;
    try {
      const session = await this.#api.invoke('session/get', { id });
      if (this.selectedSessionId !== id) return;
      this.session = session;
      this.error = null;
    } catch (error) {
      if (this.selectedSessionId === id) this.#fail(error);
    } finally {
      if (this.selectedSessionId === id) this.loadingSession = false;
    }
  }

  async selectTask(taskRunId: number): Promise<void> {
    if (this.selectedTaskRunId !== taskRunId) {
      this.selectedTaskRunId = taskRunId;
      this.explanation = null;
    }
    this.loadingExplanation = true;
    try {
      const explanation = await this.#api.invoke('task/explain', { taskRunId });
      if (this.selectedTaskRunId !== taskRunId) return;
      this.explanation = explanation;
      this.error = null;
    } catch (error) {
      if (this.selectedTaskRunId === taskRunId) this.#fail(error);
    } finally {
      if (this.selectedTaskRunId === taskRunId) this.loadingExplanation = false;
    }
  }

  /** Shows only the sessions of the repository at `path`. */
  async openProject(path: string): Promise<void> {
    try {
      const project = await this.#api.invoke('project/open', { path });
      this.project = project;
      this.#clearSelection();
      await this.loadSessions();
    } catch (error) {
      this.#fail(error);
    }
  }

  async showAllProjects(): Promise<void> {
    this.project = null;
    this.#clearSelection();
    await this.loadSessions();
  }

  /** The audit records of the selected session as JSON Lines, or null when it failed (see `error`). */
  async exportAudit(): Promise<string | null> {
    const sessionId = this.selectedSessionId;
    try {
      const { jsonl } = await this.#api.invoke('audit/export', sessionId === null ? {} : { sessionId });
      return jsonl;
    } catch (error) {
      this.#fail(error);
      return null;
    }
  }

  /** Keeps what is on screen current while a session runs. */
  async handleEvent(event: EngineEvent): Promise<void> {
    switch (event.type) {
      case 'session/started':
      case 'session/finished':
        await this.loadSessions();
        if (this.selectedSessionId === event.sessionId) await this.selectSession(event.sessionId);
        return;
      case 'task/started':
        if (this.selectedSessionId === event.sessionId) await this.selectSession(event.sessionId);
        return;
      case 'task/finished':
        await this.loadSessions();
        if (this.selectedSessionId !== null && this.session?.tasks.some((task) => task.id === event.taskRunId)) {
          await this.selectSession(this.selectedSessionId);
          if (this.selectedTaskRunId === event.taskRunId) await this.selectTask(event.taskRunId);
        }
        return;
      default:
        return;
    }
  }

  dismissError(): void {
    this.error = null;
  }

  #clearSelection(): void {
    this.selectedSessionId = null;
    this.session = null;
    this.selectedTaskRunId = null;
    this.explanation = null;
  }

  #fail(error: unknown): void {
    this.error = NightshiftError.toData({ error, fallback: { code: 'UNEXPECTED', hint: 'Try again; if it keeps failing, restart the app.' } });
  }
}
