import { NightshiftError } from '../../shared/NightshiftError.js';
import type { ProtocolFailure } from '../../shared/protocol.js';
import type { TaskSpec } from '../../shared/taskSpecSchema.js';
import type { NightshiftApi } from '../api/NightshiftApi.js';

/** A form field the host can refuse a task for (the engine's BacklogTaskInvalidError names one). */
export type BacklogField = 'id' | 'title' | 'dependsOn';

/** A task as the form edits it: lists as comma-separated text, an empty test command meaning none. */
export interface BacklogDraft {
  id: string;
  title: string;
  description: string;
  /** Task ids, comma-separated. */
  dependsOn: string;
  /** Repository-relative paths, comma-separated. */
  targetFiles: string;
  testCommand: string;
}

/**
 * One project's backlog: the list, the add/edit form with the host's refusals per field, and import and
 * export. Every answer is checked on arrival against the project it was asked for, so switching projects
 * mid-call never shows one project's tasks under another.
 */
export class BacklogState {
  /** Path of the opened project whose backlog this is; null before one is opened. */
  projectPath = $state<string | null>(null);
  tasks = $state<TaskSpec[]>([]);
  loading = $state(false);
  /** A change is on its way to the host; the controls wait for it. */
  busy = $state(false);
  /** The latest failure that belongs to no form field, shown until the next success or dismissal. */
  error = $state<ProtocolFailure | null>(null);
  /** The host's reason per refused field of the form. */
  fieldErrors = $state<Partial<Record<BacklogField, string>>>({});
  /** Why the last import was refused, shown next to the import box. */
  importError = $state<ProtocolFailure | null>(null);
  /** Id of the task the form edits, or null when it adds a new one. */
  editingId = $state<string | null>(null);
  draft = $state<BacklogDraft>(emptyDraft());
  /** The backlog in the TASKS.md format after the last export. */
  exported = $state<string | null>(null);

  /** A loaded backlog with no tasks: time to tell the user how to start one. */
  readonly empty = $derived(this.projectPath !== null && !this.loading && this.tasks.length === 0);

  readonly #api: NightshiftApi;

  constructor(options: {
    /** Where the backlog comes from and goes to. */
    api: NightshiftApi;
  }) {
    this.#api = options.api;
  }

  /** Shows the backlog of the opened project at `projectPath`, or nothing for null. */
  async open(projectPath: string | null): Promise<void> {
    if (projectPath === this.projectPath) return;
    this.projectPath = projectPath;
    this.tasks = [];
    this.exported = null;
    this.error = null;
    this.importError = null;
    this.startAdd();
    if (projectPath !== null) await this.load();
  }

  async load(): Promise<void> {
    const projectPath = this.projectPath;
    if (projectPath === null) return;
    this.loading = true;
    try {
      const tasks = await this.#api.invoke('backlog/list', { projectPath });
      if (this.projectPath !== projectPath) return;
      this.tasks = tasks;
      this.error = null;
    } catch (error) {
      if (this.projectPath === projectPath) this.error = toFailure(error);
    } finally {
      if (this.projectPath === projectPath) this.loading = false;
    }
  }

  /** Empties the form for a new task. */
  startAdd(): void {
    this.editingId = null;
    this.draft = emptyDraft();
    this.fieldErrors = {};
  }

  /** Fills the form with the task `id` to edit it. */
  startEdit(id: string): void {
    const task = this.tasks.find((each) => each.id === id);
    if (!task) return;
    this.editingId = id;
    this.draft = {
      id: task.id,
      title: task.title,
      description: task.description,
      dependsOn: task.dependsOn.join(', '),
      targetFiles: task.targetFiles.join(', '),
      testCommand: task.testCommand ?? '',
    };
    this.fieldErrors = {};
  }

  /** Saves the form; true when the host accepted it, false when it refused (see `fieldErrors` and `error`). */
  async save(): Promise<boolean> {
    const { draft, editingId } = this;
    const testCommand = draft.testCommand.trim();
    const saved = await this.#change(true, (projectPath) =>
      this.#api.invoke('backlog/save', {
        projectPath,
        task: {
          id: draft.id.trim(),
          title: draft.title.trim(),
          description: draft.description.trim(),
          dependsOn: splitList(draft.dependsOn),
          targetFiles: splitList(draft.targetFiles),
          ...(testCommand === '' ? {} : { testCommand }),
        },
        ...(editingId === null ? {} : { previousId: editingId }),
      }),
    );
    if (saved) this.startAdd();
    return saved;
  }

  async remove(id: string): Promise<boolean> {
    const removed = await this.#change(false, (projectPath) => this.#api.invoke('backlog/delete', { projectPath, taskId: id }));
    if (removed && this.editingId === id) this.startAdd();
    return removed;
  }

  /** Moves the task `id` one place up (-1) or down (1); a move past either end does nothing. */
  async move(id: string, offset: -1 | 1): Promise<boolean> {
    const ids = this.tasks.map((task) => task.id);
    const from = ids.indexOf(id);
    const to = from + offset;
    if (from < 0 || to < 0 || to >= ids.length) return false;
    [ids[from], ids[to]] = [ids[to]!, ids[from]!];
    return this.#change(false, (projectPath) => this.#api.invoke('backlog/reorder', { projectPath, taskIds: ids }));
  }

  /** Replaces the backlog with the tasks of a pasted TASKS.md (`tasks-md`) or product requirements document (`prd`). */
  async import(options: { format: 'tasks-md' | 'prd'; text: string }): Promise<boolean> {
    const projectPath = this.projectPath;
    if (projectPath === null || this.busy) return false;
    this.busy = true;
    try {
      const tasks = await this.#api.invoke('backlog/import', { projectPath, format: options.format, text: options.text });
      if (this.projectPath !== projectPath) return false;
      this.tasks = tasks;
      this.importError = null;
      this.error = null;
      this.startAdd();
      return true;
    } catch (error) {
      if (this.projectPath === projectPath) this.importError = toFailure(error);
      return false;
    } finally {
      if (this.projectPath === projectPath) this.busy = false;
    }
  }

  /** The backlog as TASKS.md text (also kept in `exported`), or null when it failed (see `error`). */
  async export(): Promise<string | null> {
    const projectPath = this.projectPath;
    if (projectPath === null) return null;
    try {
      const { text } = await this.#api.invoke('backlog/export', { projectPath });
      if (this.projectPath !== projectPath) return null;
      this.exported = text;
      this.error = null;
      return text;
    } catch (error) {
      if (this.projectPath === projectPath) this.error = toFailure(error);
      return null;
    }
  }

  dismissError(): void {
    this.error = null;
  }

  /**
   * Sends one change whose answer is the whole backlog. A refused save lands next to the form field it
   * names; anything else lands in `error`, including a refused delete, which names `id` too but is about a
   * listed task rather than the form.
   */
  async #change(fromForm: boolean, send: (projectPath: string) => Promise<TaskSpec[]>): Promise<boolean> {
    const projectPath = this.projectPath;
    if (projectPath === null || this.busy) return false;
    this.busy = true;
    try {
      const tasks = await send(projectPath);
      if (this.projectPath !== projectPath) return false;
      this.tasks = tasks;
      this.fieldErrors = {};
      this.error = null;
      return true;
    } catch (error) {
      if (this.projectPath !== projectPath) return false;
      const failure = toFailure(error);
      const field = fromForm ? refusedField(failure) : null;
      if (field) {
        this.fieldErrors = { [field.name]: field.reason };
        this.error = null;
      } else {
        this.error = failure;
      }
      return false;
    } finally {
      if (this.projectPath === projectPath) this.busy = false;
    }
  }
}

function emptyDraft(): BacklogDraft {
  return { id: '', title: '', description: '', dependsOn: '', targetFiles: '', testCommand: '' };
}

function splitList(text: string): string[] {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function toFailure(error: unknown): ProtocolFailure {
  return NightshiftError.toData({ error, fallback: { code: 'UNEXPECTED', hint: 'Try again; if it keeps failing, restart the app.' } });
}

const FIELDS: readonly string[] = ['id', 'title', 'dependsOn'] satisfies BacklogField[];

/** The form field and reason a BACKLOG_TASK_INVALID refusal names, or null for any other failure. */
function refusedField(failure: ProtocolFailure): { name: BacklogField; reason: string } | null {
  if (failure.code !== 'BACKLOG_TASK_INVALID') return null;
  const { field, reason } = failure.context;
  if (typeof field !== 'string' || !FIELDS.includes(field) || typeof reason !== 'string') return null;
  return { name: field as BacklogField, reason };
}
