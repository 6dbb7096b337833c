import { z } from 'zod';

/** `nightshift.json` at a project's root. Every field is optional; defaults are documented here. */
export const projectConfigSchema = z
  .object({
    /** Full-suite test command run with `/bin/sh -c` in the workspace. Default: detected from the stack. */
    testCommand: z.string().min(1).optional(),
    /** Command that runs chosen test files; `{files}` is replaced by the quoted paths. Default: detected. */
    testFileCommand: z.string().min(1).optional(),
    /**
     * Installs the project's dependencies; run only by `nightshift sandbox setup --allow-network`, in a one-off
     * container with network, into the project folder: `.nightshift-deps` (on every command's PYTHONPATH) or
     * `node_modules`, which sessions link read-only. Default: detected (pip into `.nightshift-deps` from
     * requirements.txt, `npm ci`).
     */
    setupCommand: z.string().min(1).optional(),
    /** Lint command; when set, the lint rail runs it. */
    lintCommand: z.string().min(1).optional(),
    /** Typecheck command; when set, the typecheck rail runs it. */
    typecheckCommand: z.string().min(1).optional(),
    /** Extra protected paths or globs (`*` within a segment, `**` across segments), relative to the root. */
    protectedPaths: z.array(z.string().min(1)).default([]),
    /** Maximum added plus removed lines in one task's diff. Default 400. */
    maxDiffLines: z.number().int().positive().default(400),
    /** Attempts per task before it is escalated to a human. Default 4. */
    maxAttempts: z.number().int().min(1).max(20).default(4),
    /**
     * How long a session waits, re-checking with backoff, for a failed environment (model endpoint,
     * sandbox, test runner) to come back before it ends `blocked`, in milliseconds. Default 1800000 (30 min).
     */
    environmentWaitMs: z.number().int().nonnegative().default(1_800_000),
    /** Wall-clock limit per command in milliseconds. Default 120000. */
    commandTimeoutMs: z.number().int().positive().default(120_000),
    /** Output kept per command stream in bytes; the rest is cut and marked. Default 1 MiB. */
    outputLimitBytes: z.number().int().positive().default(1_048_576),
    /**
     * Ignored dependency folders linked read-only into the workspace and used by every command (`node_modules/.bin`
     * and a virtual environment's `bin` on PATH, `.nightshift-deps` on PYTHONPATH). Default `node_modules`,
     * `.venv`, `.nightshift-deps`.
     */
    linkDirs: z.array(z.string().min(1)).default(['node_modules', '.venv', '.nightshift-deps']),
    /** Backlog file relative to the root. Default `TASKS.md`. */
    tasksFile: z.string().min(1).default('TASKS.md'),
    /**
     * Where commands run: `auto` (Docker if a daemon answers, else the OS's own sandbox: bubblewrap on Linux,
     * sandbox-exec on macOS), `docker`, `native`, or `local` (unsandboxed; needs `allowUnsandboxed`). Default `auto`.
     */
    sandbox: z.enum(['auto', 'docker', 'native', 'local']).default('auto'),
    /**
     * Explicit opt-in to running model-written commands directly on this machine when no sandbox is available
     * (or when `sandbox` is `local`). Default false: Nightshift refuses instead.
     */
    allowUnsandboxed: z.boolean().default(false),
    /**
     * Docker image the project's commands run in instead of Nightshift's stack image; it must already exist
     * locally and provide /bin/sh, sleep and kill. Default: the stack image, built on demand.
     */
    sandboxImage: z.string().min(1).optional(),
    /**
     * System packages the project's commands need in the Docker sandbox, e.g. `{"debian": ["python3-flask"]}`:
     * installed once into a per-project image layer on top of the sandbox image (cached by the image and the
     * sorted list; building needs the Debian mirror), used by every command. Default: none, except that a
     * requirements.txt whose every line has a known Debian package is mapped to those packages.
     */
    sandboxPackages: z
      .object({
        /** Debian package names. */
        debian: z.array(z.string().regex(/^[a-z0-9][a-z0-9+.-]+$/, 'a Debian package name (lowercase letters, digits, + . -)')).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export type ProjectConfig = z.infer<typeof projectConfigSchema>;
