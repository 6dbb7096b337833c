import { projectSettingsSchema, type ProjectSettings } from '../../shared/projectSettingsSchema.js';
import type { ProtocolFailure } from '../../shared/protocol.js';

/** Where a session's models come from, as the form offers them. */
export type ModelKind = 'local' | 'gguf' | 'openai' | 'scripted';

/** Project settings as the form edits them: numbers as text, `models` split by kind, an empty text meaning unset. */
export interface SettingsDraft {
  modelKind: ModelKind;
  /** Catalog profile for `local`; empty: the profile planned for this machine. */
  profile: string;
  /** The model file for `local:FILE`. */
  ggufPath: string;
  /** Base URL of an OpenAI-compatible server, e.g. `http://127.0.0.1:8080/v1`. */
  openaiUrl: string;
  openaiModel: string;
  /** The script file for `scripted:FILE`. */
  scriptedPath: string;
  /** Empty: nightshift.json's `sandbox`, else `auto`. */
  sandbox: '' | NonNullable<ProjectSettings['sandbox']>;
  allowUnsandboxed: boolean;
  /** Empty: the whole backlog. */
  maxTasks: string;
  /** Empty: nightshift.json's `maxAttempts`. */
  maxAttempts: string;
  mode: ProjectSettings['mode'];
  targetBranch: string;
  allowFailingBaseline: boolean;
}

/** A setting the form can show a reason next to: a settings field, or one part of the models choice. */
export type SettingsField = keyof ProjectSettings | 'ggufPath' | 'openaiUrl' | 'openaiModel' | 'scriptedPath';

const SETTINGS_FIELDS: readonly string[] = [
  'models',
  'profile',
  'sandbox',
  'allowUnsandboxed',
  'maxTasks',
  'maxAttempts',
  'mode',
  'targetBranch',
  'allowFailingBaseline',
  'ggufPath',
  'openaiUrl',
  'openaiModel',
  'scriptedPath',
] satisfies SettingsField[];

/**
 * The project settings form shared by the Projects view's editor and the session form: the draft, its
 * conversion to `ProjectSettings` with the shared schema's checks, and the reasons per field, whether the
 * form or the host found them.
 */
export class SettingsForm {
  draft = $state<SettingsDraft>(toDraft(null));
  /** Why each refused field was refused. */
  fieldErrors = $state<Partial<Record<SettingsField, string>>>({});

  /** Fills the form from saved settings (null: Nightshift's defaults) and clears the reasons. */
  load(settings: ProjectSettings | null): void {
    this.draft = toDraft(settings);
    this.fieldErrors = {};
  }

  /**
   * The draft as settings, or null when a field is not acceptable (each reason lands in `fieldErrors`);
   * checked with the schema the host uses, so most refusals never need a round trip.
   */
  read(): ProjectSettings | null {
    const { draft } = this;
    const errors: Partial<Record<SettingsField, string>> = {};
    const models = modelsOf(draft, errors);
    const maxTasks = wholeNumber(draft.maxTasks, 'maxTasks', errors);
    const maxAttempts = wholeNumber(draft.maxAttempts, 'maxAttempts', errors);
    const candidate = {
      models,
      profile: draft.modelKind === 'local' && draft.profile.trim() !== '' ? draft.profile.trim() : null,
      sandbox: draft.sandbox === '' ? null : draft.sandbox,
      allowUnsandboxed: draft.allowUnsandboxed,
      maxTasks,
      maxAttempts,
      mode: draft.mode,
      targetBranch: draft.targetBranch.trim() === '' ? null : draft.targetBranch.trim(),
      allowFailingBaseline: draft.allowFailingBaseline,
    };
    const parsed = projectSettingsSchema.safeParse(candidate);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = String(issue.path[0] ?? 'models') as SettingsField;
        errors[field] ??= issue.message;
      }
    }
    this.fieldErrors = errors;
    return parsed.success && Object.keys(errors).length === 0 ? parsed.data : null;
  }

  /** Shows a host refusal next to the field its `context.field` names; false when it names none of this form's. */
  refuse(failure: ProtocolFailure): boolean {
    const field = refusedField(failure);
    if (field === null) return false;
    this.fieldErrors = { [field]: SettingsForm.reasonOf(failure) };
    return true;
  }

  /** A refusal's reason as shown next to its field: the host's `context.reason` when it gave one, then the hint. */
  static reasonOf(failure: ProtocolFailure): string {
    const reason = failure.context['reason'];
    const text = typeof reason === 'string' && reason !== '' ? reason : failure.message;
    return failure.hint ? `${text} ${failure.hint}` : text;
  }

  clearErrors(): void {
    this.fieldErrors = {};
  }
}

/**
 * The field a refusal's `context.field` names, with a leading `settings.` dropped (session/start nests the
 * settings), or null when it names none of the settings.
 */
function refusedField(failure: ProtocolFailure): SettingsField | null {
  const named = failure.context['field'];
  if (typeof named !== 'string') return null;
  const field = named.replace(/^settings\./, '');
  return SETTINGS_FIELDS.includes(field) ? (field as SettingsField) : null;
}

function toDraft(settings: ProjectSettings | null): SettingsDraft {
  const draft: SettingsDraft = {
    modelKind: 'local',
    profile: settings?.profile ?? '',
    ggufPath: '',
    openaiUrl: '',
    openaiModel: '',
    scriptedPath: '',
    sandbox: settings?.sandbox ?? '',
    allowUnsandboxed: settings?.allowUnsandboxed ?? false,
    maxTasks: settings?.maxTasks?.toString() ?? '',
    maxAttempts: settings?.maxAttempts?.toString() ?? '',
    mode: settings?.mode ?? 'branch',
    targetBranch: settings?.targetBranch ?? '',
    allowFailingBaseline: settings?.allowFailingBaseline ?? false,
  };
  const models = settings?.models ?? 'local';
  if (models.startsWith('local:')) {
    draft.modelKind = 'gguf';
    draft.ggufPath = models.slice('local:'.length);
  } else if (models.startsWith('openai:')) {
    const spec = models.slice('openai:'.length);
    const hash = spec.lastIndexOf('#');
    draft.modelKind = 'openai';
    draft.openaiUrl = hash < 0 ? spec : spec.slice(0, hash);
    draft.openaiModel = hash < 0 ? '' : spec.slice(hash + 1);
  } else if (models.startsWith('scripted:')) {
    draft.modelKind = 'scripted';
    draft.scriptedPath = models.slice('scripted:'.length);
  }
  return draft;
}

/** The `--models` value the draft describes; an empty part of it is reported against its own field. */
function modelsOf(draft: SettingsDraft, errors: Partial<Record<SettingsField, string>>): string {
  const need = (field: SettingsField, value: string, reason: string): string => {
    if (value.trim() === '') errors[field] = reason;
    return value.trim();
  };
  switch (draft.modelKind) {
    case 'local':
      return 'local';
    case 'gguf':
      return `local:${need('ggufPath', draft.ggufPath, 'the path of a .gguf model file')}`;
    case 'openai': {
      const url = need('openaiUrl', draft.openaiUrl, 'the server’s base URL, for example http://127.0.0.1:8080/v1');
      const model = need('openaiModel', draft.openaiModel, 'the model name the server knows');
      return `openai:${url}#${model}`;
    }
    case 'scripted':
      return `scripted:${need('scriptedPath', draft.scriptedPath, 'the path of a model script (JSON)')}`;
  }
}

/** Empty text as null; anything but digits is reported rather than guessed at. */
function wholeNumber(text: string, field: SettingsField, errors: Partial<Record<SettingsField, string>>): number | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  if (!/^\d+$/.test(trimmed)) {
    errors[field] = 'a whole number, or empty for the default';
    return null;
  }
  return Number(trimmed);
}
