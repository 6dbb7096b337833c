import { NightshiftError } from '../../shared/NightshiftError.js';
import type { ModelsMachine, ModelsPlanRole, ModelsPlanView, ModelsProfileDraft, ModelsRoleDraft } from '../../shared/modelPlanProtocol.js';
import type { ProtocolFailure } from '../../shared/protocol.js';
import type { NightshiftApi } from '../api/NightshiftApi.js';

/** Where a saved profile applies: every project, or the current project only. */
export type ModelsSaveScope = 'global' | 'project';

/** The what-if tiers the picker offers, in GB. */
export const WHAT_IF_TIERS_GB: readonly number[] = [16, 24, 32, 36, 48, 64, 96, 128, 192];

/**
 * The Models view's machine and profile editor: the machine, the profile draft per role, and the plan of
 * that draft, re-planned by the host after every change. Changes made in the same task (several fields at
 * once, a typed digit) are planned once, on the next microtask; an answer that a newer change overtook is
 * dropped, so the fit bar always shows the latest draft.
 */
export class ModelsState {
  machine = $state<ModelsMachine | null>(null);
  /** The latest plan of the draft; the last good one stays while a refused edit is shown. */
  view = $state<ModelsPlanView | null>(null);
  draft = $state<ModelsProfileDraft | null>(null);
  /** What-if memory in GB; null: this machine. */
  whatIfGb = $state<number | null>(null);
  /** The opened project whose overrides apply and which `project` scope saves to; null when none. */
  projectPath = $state<string | null>(null);
  scope = $state<ModelsSaveScope>('global');
  loading = $state(false);
  planning = $state(false);
  saving = $state(false);
  /** A failure that belongs to no field, shown until the next success or dismissal. */
  error = $state<ProtocolFailure | null>(null);
  /** Why each refused field was refused, keyed `<role>.<field>` (e.g. `coder.contextSize`) or the request field. */
  fieldErrors = $state<Record<string, string>>({});
  /** The override file the last save wrote; cleared by the next edit. */
  savedPath = $state<string | null>(null);

  readonly verdict = $derived(this.view?.verdict ?? null);
  readonly suggestion = $derived(this.view?.suggestion ?? '');
  /** The machine and a plan are drawn. */
  readonly ready = $derived(this.machine !== null && this.view !== null && !this.loading);

  readonly #api: NightshiftApi;
  #planned: Promise<void> = Promise.resolve();
  #scheduled = false;
  #sequence = 0;

  constructor(options: {
    /** Where machine facts and plans come from and profiles go to. */
    api: NightshiftApi;
  }) {
    this.#api = options.api;
  }

  /** Reads the machine and the plan of its tier's saved profile, and fills the editor with that profile. */
  async load(): Promise<void> {
    this.loading = true;
    try {
      const [machine, view] = await Promise.all([this.#api.invoke('models/machine', {}), this.#api.invoke('models/plan', this.#request(null))]);
      this.machine = machine;
      this.#show(view, true);
      this.error = null;
    } catch (error) {
      this.error = toFailure(error);
    } finally {
      this.loading = false;
    }
  }

  /** Follows the current project: its overrides apply to the plan; without one, saving is global only. */
  openProject(projectPath: string | null): void {
    if (projectPath === this.projectPath) return;
    this.projectPath = projectPath;
    if (projectPath === null) this.scope = 'global';
    if (this.draft !== null) this.#schedule();
  }

  /** Changes one role's fields and re-plans. */
  setRole(role: ModelsPlanRole, patch: Partial<ModelsRoleDraft>): void {
    const current = this.draft?.roles[role];
    if (!this.draft || !current) return;
    this.draft.roles[role] = { ...current, ...patch };
    this.savedPath = null;
    const key = `${role}.contextSize`;
    if (patch.contextSize !== undefined && !(Number.isInteger(patch.contextSize) && patch.contextSize > 0)) {
      this.fieldErrors = { [key]: 'a whole number of tokens' };
      return;
    }
    this.#schedule();
  }

  /** Plans for a Mac with `memoryGb` instead of this machine (null: this machine again), keeping the draft. */
  setWhatIf(memoryGb: number | null): void {
    this.whatIfGb = memoryGb;
    this.#schedule();
  }

  /** Replaces the draft with the saved profile of the planned machine's tier. */
  async useTierProfile(): Promise<void> {
    this.draft = null;
    this.savedPath = null;
    await this.#replan();
  }

  /** Resolves once the plans asked for so far have arrived. */
  settled(): Promise<void> {
    return this.#planned;
  }

  /** Saves the draft as an override in the chosen scope; true when the host accepted it. */
  async save(): Promise<boolean> {
    if (!this.draft) return false;
    await this.settled();
    this.saving = true;
    try {
      const saved = await this.#api.invoke('models/profile', {
        scope: this.scope,
        ...(this.projectPath === null ? {} : { projectPath: this.projectPath }),
        profile: $state.snapshot(this.draft),
        ...(this.whatIfGb === null ? {} : { memoryGb: this.whatIfGb }),
      });
      this.#sequence++;
      this.#show(saved, true);
      this.savedPath = saved.path;
      return true;
    } catch (error) {
      this.#refuse(toFailure(error));
      return false;
    } finally {
      this.saving = false;
    }
  }

  dismissError(): void {
    this.error = null;
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    this.planning = true;
    this.#planned = new Promise<void>((resolve) =>
      queueMicrotask(() => {
        this.#scheduled = false;
        void this.#replan().then(resolve);
      }),
    );
  }

  async #replan(): Promise<void> {
    const sequence = ++this.#sequence;
    this.planning = true;
    const replacing = this.draft === null;
    try {
      const view = await this.#api.invoke('models/plan', this.#request(this.draft ? $state.snapshot(this.draft) : null));
      if (sequence !== this.#sequence) return;
      this.#show(view, replacing);
    } catch (error) {
      if (sequence === this.#sequence) this.#refuse(toFailure(error));
    } finally {
      if (sequence === this.#sequence) this.planning = false;
    }
  }

  #request(profile: ModelsProfileDraft | null) {
    return {
      ...(profile === null ? {} : { profile }),
      ...(this.whatIfGb === null ? {} : { memoryGb: this.whatIfGb }),
      ...(this.projectPath === null ? {} : { projectPath: this.projectPath }),
    };
  }

  #show(view: ModelsPlanView, fillDraft: boolean): void {
    this.view = view;
    if (fillDraft || this.draft === null) this.draft = { id: view.profile.id, roles: structuredClone(view.profile.roles) };
    this.fieldErrors = {};
    this.error = null;
  }

  /** A refusal that names a field goes next to it; any other failure is shown on its own. */
  #refuse(failure: ProtocolFailure): void {
    const field = failure.context['field'];
    if (typeof field === 'string') {
      const reason = failure.context['reason'];
      this.fieldErrors = { [field.replace(/^profile\.roles\./, '')]: typeof reason === 'string' && reason !== '' ? reason : failure.message };
      return;
    }
    this.error = failure;
  }
}

function toFailure(error: unknown): ProtocolFailure {
  if (error instanceof NightshiftError) return error.toJSON();
  return new NightshiftError({
    code: 'UNEXPECTED',
    message: error instanceof Error ? error.message : String(error),
    hint: 'Try again; if it keeps happening, restart Nightshift.',
  }).toJSON();
}
