import { z } from 'zod';

/**
 * `resources/bench/<id>/level.json`: one level of the autonomy benchmark. Beside it: `repo/` (the starting
 * repository's files, committed as one commit by the runner), `TASKS.md` (the backlog as a user writes it),
 * `hidden/<taskId>/` (acceptance tests per task, never in the workspace or any prompt: copied into a
 * checkout of the delivered branch afterwards), `answers/oracle.json` and `answers/bad.json` (scripted
 * answer files: every task right first time / plausible but wrong).
 */
export const benchLevelSchema = z
  .object({
    /** `L2`..`L6`, `TS1`, `API1`: the folder's name. */
    id: z.string().regex(/^[A-Za-z0-9-]+$/),
    name: z.string().min(1),
    /** What it is and what it is modelled on (e.g. the Unbroken Method's L4). */
    description: z.string().min(1),
    language: z.enum(['python', 'typescript']),
    /**
     * Runs one task's hidden tests in the sandbox, in a checkout of the delivered branch with `hidden/` copied
     * to `.nightshift-hidden/`; `{task}` is replaced by the task id, e.g.
     * `python3 -m pytest -q -p no:cacheprovider .nightshift-hidden/{task}`.
     */
    hiddenTestCommand: z.string().min(1).includes('{task}'),
    /**
     * How many hidden tests each task has, as its runner counts them with the task delivered (parametrised
     * cases included). A task that is not delivered is still judged out of this many, even when its tests
     * cannot load against the code it lacks (a runner then reports one load error, not the tests). Every task
     * of `hidden/` must be listed. Default: the totals the runner reports.
     */
    hiddenTests: z.record(z.string().min(1), z.number().int().positive()).optional(),
    /** Debian packages the level's code needs in the sandbox (as nightshift.json's sandboxPackages). */
    sandboxPackages: z.object({ debian: z.array(z.string().min(1)) }).strict().optional(),
    /** Left out of `nightshift bench run` unless `--levels` names it or says `all`. */
    slow: z.boolean().default(false),
    /** Published figures this level is compared with in the README, free text. */
    reference: z.string().optional(),
  })
  .strict();

export type BenchLevel = z.infer<typeof benchLevelSchema>;
