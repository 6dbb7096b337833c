import { NightshiftError } from '../../shared/NightshiftError.js';
import type { Decision } from '../../shared/decision.js';
import type { FailureType } from '../../shared/failureType.js';
import type { HistoryPage, ProtocolFailure, ProtocolRequest, TaskExplanationSummary } from '../../shared/protocol.js';
import type { RailName } from '../../shared/railResultSchema.js';
import type { TaskStatus } from '../../shared/taskStatus.js';
import type { NightshiftApi } from '../api/NightshiftApi.js';

/** History's filters; an empty string is "any". */
export interface HistoryFilters {
  query: string;
  status: TaskStatus | '';
  rail: RailName | '';
  failureType: FailureType | '';
  decision: Decision | 'INTERRUPTED' | '';
  /** Only this session's task runs; null: every session. */
  sessionId: string | null;
  /** Only this project's sessions; null: every project. */
  projectPath: string | null;
}

const NO_FILTERS: HistoryFilters = { query: '', status: '', rail: '', failureType: '', decision: '', sessionId: null, projectPath: null };

/**
 * The History view: task runs across sessions and projects, searched and filtered a page at a time, and
 * the selected task run's explanation (attempts, diffs) and audit record. Each answer is dropped when a
 * newer search or selection has been made since it was asked for.
 */
export class HistoryState {
  filters = $state<HistoryFilters>({ ...NO_FILTERS });
  /** Task runs per page. */
  readonly pageSize: number;
  result = $state<HistoryPage | null>(null);
  loading = $state(false);
  selectedTaskRunId = $state<number | null>(null);
  explanation = $state<TaskExplanationSummary | null>(null);
  /** The selected task run's audit record; null before it loaded or when it has none. */
  audit = $state<Record<string, unknown> | null>(null);
  loadingSelection = $state(false);
  error = $state<ProtocolFailure | null>(null);

  readonly pageCount = $derived(this.result === null ? 0 : Math.max(1, Math.ceil(this.result.total / this.result.pageSize)));
  readonly page = $derived(this.result?.page ?? 0);

  readonly #api: NightshiftApi;
  #search = 0;
  #selection = 0;

  constructor(options: {
    /** Where the data comes from. */
    api: NightshiftApi;
    /** Task runs per page. Default 25. */
    pageSize?: number;
  }) {
    this.#api = options.api;
    this.pageSize = options.pageSize ?? 25;
  }

  /** Searches with the current filters and shows page `page` (0-based, default the first). */
  async search(page = 0): Promise<void> {
    const request = ++this.#search;
    this.loading = true;
    try {
      const result = await this.#api.invoke('history/search', this.#request(page));
      if (request !== this.#search) return;
      this.result = result;
      this.error = null;
    } catch (error) {
      if (request === this.#search) this.#fail(error);
    } finally {
      if (request === this.#search) this.loading = false;
    }
  }

  /** Changes some filters and searches from the first page. */
  async filter(changes: Partial<HistoryFilters>): Promise<void> {
    this.filters = { ...this.filters, ...changes };
    await this.search(0);
  }

  /** Clears every filter but the project and searches again. */
  async clearFilters(): Promise<void> {
    await this.filter({ ...NO_FILTERS, projectPath: this.filters.projectPath });
  }

  async nextPage(): Promise<void> {
    if (this.page + 1 < this.pageCount) await this.search(this.page + 1);
  }

  async previousPage(): Promise<void> {
    if (this.page > 0) await this.search(this.page - 1);
  }

  /** Shows a task run's explanation and audit record. */
  async select(taskRunId: number): Promise<void> {
    const selection = ++this.#selection;
    this.selectedTaskRunId = taskRunId;
    this.explanation = null;
    this.audit = null;
    this.loadingSelection = true;
    try {
      const [explanation, audit] = await Promise.all([
        this.#api.invoke('task/explain', { taskRunId }),
        this.#api.invoke('history/audit', { taskRunId }),
      ]);
      if (selection !== this.#selection) return;
      this.explanation = explanation;
      this.audit = audit.record;
      this.error = null;
    } catch (error) {
      if (selection === this.#selection) this.#fail(error);
    } finally {
      if (selection === this.#selection) this.loadingSelection = false;
    }
  }

  dismissError(): void {
    this.error = null;
  }

  #request(page: number): ProtocolRequest<'history/search'> {
    const { query, status, rail, failureType, decision, sessionId, projectPath } = this.filters;
    return {
      page,
      pageSize: this.pageSize,
      ...(query.trim() === '' ? {} : { query: query.trim() }),
      ...(status === '' ? {} : { status }),
      ...(rail === '' ? {} : { rail }),
      ...(failureType === '' ? {} : { failureType }),
      ...(decision === '' ? {} : { decision }),
      ...(sessionId === null ? {} : { sessionId }),
      ...(projectPath === null ? {} : { projectPath }),
    };
  }

  #fail(error: unknown): void {
    this.error = NightshiftError.toData({ error, fallback: { code: 'UNEXPECTED', hint: 'Try again; if it keeps failing, restart the app.' } });
  }
}
