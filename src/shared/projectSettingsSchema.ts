import { z } from 'zod';

/**
 * How the app runs a project's sessions, kept per project in Nightshift's database (never written into the
 * user's tree). `null` fields fall back to the project's nightshift.json, then to Nightshift's defaults.
 */
export const projectSettingsSchema = z
  .object({
    /** The model backend, as `--models` takes it: `local`, `local:FILE.gguf`, `openai:URL#MODEL`, `scripted:FILE`. Default `local`. */
    models: z.string().trim().min(1, 'name a model backend, for example "local"'),
    /** Catalog profile for `local`; null: the largest tier that fits this machine. */
    profile: z.string().min(1).nullable(),
    /** Where commands run; null: nightshift.json's `sandbox`, else `auto`. */
    sandbox: z.enum(['auto', 'docker', 'native', 'local']).nullable(),
    /** Allow running commands loose on this machine when no sandbox is available. */
    allowUnsandboxed: z.boolean(),
    /** Start at most this many tasks per session; null: the whole backlog. */
    maxTasks: z.number().int().positive().nullable(),
    /** Attempts per task before it is escalated; null: nightshift.json's `maxAttempts` (default 4). */
    maxAttempts: z.number().int().min(1).max(20).nullable(),
    /** `branch` delivers to `nightshift/<session>`; `direct` fast-forwards `targetBranch`. */
    mode: z.enum(['branch', 'direct']),
    /** The branch `direct` fast-forwards; it must not be checked out. Required when `mode` is `direct`. */
    targetBranch: z.string().min(1).nullable(),
    /** Start even when the suite already fails at HEAD; the suite rail then refuses only new failures. */
    allowFailingBaseline: z.boolean(),
  })
  .strict()
  .refine((settings) => settings.mode !== 'direct' || settings.targetBranch !== null, {
    message: 'direct delivery needs the branch to fast-forward',
    path: ['targetBranch'],
  });

export type ProjectSettings = z.infer<typeof projectSettingsSchema>;

/** The settings of a project nobody has configured yet. */
export const defaultProjectSettings: ProjectSettings = {
  models: 'local',
  profile: null,
  sandbox: null,
  allowUnsandboxed: false,
  maxTasks: null,
  maxAttempts: null,
  mode: 'branch',
  targetBranch: null,
  allowFailingBaseline: false,
};
