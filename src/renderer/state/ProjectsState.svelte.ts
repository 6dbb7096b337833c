import { NightshiftError } from '../../shared/NightshiftError.js';
import type { BaselineSummary, ProjectDetails, ProjectInfo, ProjectSummary, ProtocolFailure } from '../../shared/protocol.js';
import type { NightshiftApi } from '../api/NightshiftApi.js';
import { SettingsForm } from './SettingsForm.svelte.js';

/**
 * The Projects view: recent projects, the current project (the one every other view follows) with what the
 * host found out about it, its baseline check and its saved session settings. Answers are checked on arrival
 * against the project they were asked for, so switching projects mid-call never mixes two projects.
 */
export class ProjectsState {
  /** Recent projects, most recently opened first. */
  recent = $state<ProjectSummary[]>([]);
  loadingRecent = $state(false);
  /** Why the recent list could not be read or changed; shown above the list. */
  recentError = $state<ProtocolFailure | null>(null);
  /** The project the app works on; null until one is opened. */
  current = $state<ProjectInfo | null>(null);
  /** Why the last open failed; shown next to the path field. */
  openError = $state<ProtocolFailure | null>(null);
  opening = $state(false);
  details = $state<ProjectDetails | null>(null);
  inspecting = $state(false);
  /** Why the current project could not be inspected; shown in place of its details. */
  detailsError = $state<ProtocolFailure | null>(null);
  /** The baseline check is running (it runs the whole suite, so it can take minutes). */
  baselineRunning = $state(false);
  baselineError = $state<ProtocolFailure | null>(null);
  /** The saved settings editor, filled from the details. */
  readonly settings = new SettingsForm();
  savingSettings = $state(false);
  /** A settings failure that names no field. */
  settingsError = $state<ProtocolFailure | null>(null);
  /** When the settings were last saved, epoch milliseconds; null since the project was opened. */
  settingsSavedAt = $state<number | null>(null);

  /** The current project's last baseline check; a check run here replaces it. */
  readonly baseline = $derived<BaselineSummary | null>(this.details?.baseline ?? null);
  /** The host offers a folder picker (Electron); a browser shows only the path field. */
  readonly canPick: boolean;

  readonly #api: NightshiftApi;

  constructor(options: {
    /** Where projects are opened and inspected. */
    api: NightshiftApi;
  }) {
    this.#api = options.api;
    this.canPick = options.api.pickFolder !== undefined;
  }

  async loadRecent(): Promise<void> {
    this.loadingRecent = true;
    try {
      this.recent = await this.#api.invoke('project/list', {});
      this.recentError = null;
    } catch (error) {
      this.recentError = toFailure(error);
    } finally {
      this.loadingRecent = false;
    }
  }

  /** Loads the recent list and, when no project is open yet, reopens the most recent one that still exists. */
  async restore(): Promise<void> {
    await this.loadRecent();
    const last = this.recent.find((project) => project.available);
    if (this.current === null && last) await this.open(last.path);
  }

  /** Opens the folder at `path` and makes it the current project; false when the host refused it (see `openError`). */
  async open(path: string): Promise<boolean> {
    const trimmed = path.trim();
    if (trimmed === '' || this.opening) return false;
    this.opening = true;
    try {
      const project = await this.#api.invoke('project/open', { path: trimmed });
      this.openError = null;
      if (this.current?.path !== project.path) {
        this.current = project;
        this.details = null;
        this.detailsError = null;
        this.baselineError = null;
        this.settingsError = null;
        this.settingsSavedAt = null;
        this.settings.load(null);
      }
    } catch (error) {
      this.openError = toFailure(error);
      return false;
    } finally {
      this.opening = false;
    }
    await Promise.all([this.inspect(), this.loadRecent()]);
    return true;
  }

  /** Asks the system's folder picker for a folder and opens it; false when cancelled, refused or there is no picker. */
  async pick(): Promise<boolean> {
    if (!this.#api.pickFolder) return false;
    let path: string | null;
    try {
      path = await this.#api.pickFolder();
    } catch (error) {
      this.openError = toFailure(error);
      return false;
    }
    return path === null ? false : this.open(path);
  }

  /** Reads the current project's details again (stack, git state, sandbox, settings, last baseline). */
  async inspect(): Promise<void> {
    const project = this.current;
    if (project === null) return;
    this.inspecting = true;
    try {
      const details = await this.#api.invoke('project/inspect', { projectPath: project.path });
      if (this.current !== project) return;
      this.#show(details);
      this.detailsError = null;
    } catch (error) {
      if (this.current === project) this.detailsError = toFailure(error);
    } finally {
      if (this.current === project) this.inspecting = false;
    }
  }

  /** Runs the suite at HEAD in the sandbox sessions would use; the result replaces the details' baseline. */
  async runBaseline(): Promise<BaselineSummary | null> {
    const project = this.current;
    if (project === null || this.baselineRunning) return null;
    this.baselineRunning = true;
    this.baselineError = null;
    try {
      const baseline = await this.#api.invoke('project/baseline', { projectPath: project.path });
      if (this.current !== project) return null;
      if (this.details) this.details = { ...this.details, baseline };
      return baseline;
    } catch (error) {
      if (this.current === project) this.baselineError = toFailure(error);
      return null;
    } finally {
      if (this.current === project) this.baselineRunning = false;
    }
  }

  /** Saves the editor's settings for the current project; false when the form or the host refused them. */
  async saveSettings(): Promise<boolean> {
    const project = this.current;
    if (project === null || this.savingSettings) return false;
    const settings = this.settings.read();
    if (settings === null) return false;
    this.savingSettings = true;
    try {
      const details = await this.#api.invoke('project/settings', { projectPath: project.path, settings });
      if (this.current !== project) return false;
      this.#show(details);
      this.settingsError = null;
      this.settingsSavedAt = Date.now();
      return true;
    } catch (error) {
      if (this.current !== project) return false;
      const failure = toFailure(error);
      this.settingsError = this.settings.refuse(failure) ? null : failure;
      return false;
    } finally {
      if (this.current === project) this.savingSettings = false;
    }
  }

  /** Removes the project at `path` from the recent list (its records stay); forgetting the current one closes it. */
  async forget(path: string): Promise<boolean> {
    try {
      this.recent = await this.#api.invoke('project/forget', { projectPath: path });
      this.recentError = null;
    } catch (error) {
      this.recentError = toFailure(error);
      return false;
    }
    if (this.current?.path === path) {
      this.current = null;
      this.details = null;
      this.detailsError = null;
      this.settings.load(null);
    }
    return true;
  }

  dismissRecentError(): void {
    this.recentError = null;
  }

  #show(details: ProjectDetails): void {
    this.details = details;
    this.settings.load(details.settings);
  }
}

function toFailure(error: unknown): ProtocolFailure {
  return NightshiftError.toData({ error, fallback: { code: 'UNEXPECTED', hint: 'Try again; if it keeps failing, restart the app.' } });
}
