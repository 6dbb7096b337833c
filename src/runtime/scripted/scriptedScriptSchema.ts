import { z } from 'zod';

/** One scripted reply: `{ "raw": "..." }` is sent as literal text (to test bad output); anything else is sent as JSON. */
const answerSchema = z.union([z.object({ raw: z.string() }).strict(), z.json()]);

/** A phase's replies in call order; past the end the last one repeats. */
const answersSchema = z.array(answerSchema).min(1, 'give at least one answer, or leave the phase out');

/** Answers per phase; every phase is optional. */
const phaseAnswersShape = { plan: answersSchema.optional(), red: answersSchema.optional(), green: answersSchema.optional(), review: answersSchema.optional() };

/**
 * A scripted model backend's file: deterministic replies per task and phase, for tests and demos.
 * `models` names the model shown per role (default `scripted-<role>`); `defaults.review` answers the
 * review of any task without its own `review` list. A task's `attempts` answers each attempt from its own
 * entry, so a wrong first attempt can be followed by a right retry. `delayMs` paces each answer's streaming as a real
 * model's would (an answer streams in four chunks), so a demo can be watched live and paused mid-task.
 */
export const scriptedScriptSchema = z
  .object({
    models: z
      .object({ brain: z.string().min(1).optional(), coder: z.string().min(1).optional(), qa: z.string().min(1).optional() })
      .strict()
      .optional(),
    tasks: z.record(
      z.string().min(1),
      z
        .object({
          ...phaseAnswersShape,
          /**
           * Answers per attempt: attempt k is answered from entry k (past the end the last entry repeats), and a
           * phase an entry leaves out from the task's own list for it, then `defaults.review`.
           */
          attempts: z.array(z.object(phaseAnswersShape).strict()).min(1, 'give at least one attempt, or leave attempts out').optional(),
        })
        .strict(),
    ),
    defaults: z.object({ review: answersSchema.optional() }).strict().optional(),
    /** Pause before each streamed chunk, in milliseconds (an answer is four chunks). Default 0. */
    delayMs: z.number().int().nonnegative().max(600_000).optional(),
  })
  .strict();

export type ScriptedScript = z.infer<typeof scriptedScriptSchema>;
export type ScriptedAnswer = z.infer<typeof answerSchema>;
