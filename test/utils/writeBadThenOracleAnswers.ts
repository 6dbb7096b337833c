import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ScriptedScript } from '../../src/runtime/scripted/scriptedScriptSchema.js';

type TaskAnswers = ScriptedScript['tasks'][string];
type AttemptAnswers = NonNullable<TaskAnswers['attempts']>[number];

/**
 * Composes a level's `answers/bad.json` and `answers/oracle.json` into one script whose tasks answer
 * attempt 1 from the bad set (for the tasks it covers) and attempt 2 on from the oracle, each set's
 * `defaults.review` folded into its own attempt entry, and writes it to `path`. With the rails on, every
 * task's bad attempt should be refused and the oracle's retry delivered. Returns the composed script.
 */
export async function writeBadThenOracleAnswers(options: {
  /** The level's answers folder, holding bad.json and oracle.json. */
  answersDir: string;
  /** Where the composed script is written. */
  path: string;
}): Promise<ScriptedScript> {
  const read = async (name: string) => JSON.parse(await readFile(join(options.answersDir, name), 'utf8')) as ScriptedScript;
  const bad = await read('bad.json');
  const oracle = await read('oracle.json');
  const tasks: ScriptedScript['tasks'] = {};
  for (const [taskId, answers] of Object.entries(oracle.tasks)) {
    const right = attemptEntry(answers, oracle);
    const wrong = bad.tasks[taskId];
    tasks[taskId] = { attempts: wrong ? [attemptEntry(wrong, bad), right] : [right] };
  }
  const script: ScriptedScript = { ...(oracle.models ? { models: oracle.models } : {}), tasks };
  await writeFile(options.path, `${JSON.stringify(script, null, 2)}\n`);
  return script;
}

/** One answer set's phases for a task as an attempt entry, its review falling back to the set's default. */
function attemptEntry(answers: TaskAnswers, set: ScriptedScript): AttemptAnswers {
  const review = answers.review ?? set.defaults?.review;
  return {
    ...(answers.plan ? { plan: answers.plan } : {}),
    ...(answers.red ? { red: answers.red } : {}),
    ...(answers.green ? { green: answers.green } : {}),
    ...(review ? { review } : {}),
  };
}
