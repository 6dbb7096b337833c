import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Store, TaskRunRecord } from '../engine/ports/Store.js';
import { CliUsageError } from './CliUsageError.js';

/**
 * The run of backlog task `taskId` (e.g. `T3`) in the most recent session on `projectDir` that has it, so
 * `nightshift explain T3 --project DIR` needs no task run number. Throws CliUsageError naming what is
 * missing: the folder, any session on it, or the task (with the ids the latest session has).
 */
export function findProjectTaskRun(options: {
  store: Store;
  /** The project folder as the user typed it. */
  projectDir: string;
  /** The task's id in the backlog. */
  taskId: string;
}): TaskRunRecord {
  const { store, projectDir, taskId } = options;
  let path: string;
  try {
    path = realpathSync(resolve(projectDir));
  } catch {
    throw new CliUsageError({ message: `No such project folder: ${projectDir}.`, hint: 'Pass the repository root you ran Nightshift on.' });
  }
  const project = store.getProjectByPath(path);
  const sessions = project ? store.listSessions({ projectId: project.id }) : [];
  if (sessions.length === 0) {
    throw new CliUsageError({ message: `Nightshift has no session on ${projectDir}.`, hint: 'Run `nightshift status` to list the sessions there are, or check --data-dir.' });
  }
  for (const session of sessions) {
    const found = store.listTaskRuns(session.id).find((taskRun) => taskRun.spec.id === taskId);
    if (found) return found;
  }
  const known = store.listTaskRuns(sessions[0]!.id).map((taskRun) => taskRun.spec.id);
  throw new CliUsageError({
    message: `No task "${taskId}" in the sessions on ${projectDir}.`,
    hint: `The latest session has: ${known.join(', ') || 'no tasks'}. Run \`nightshift status --project ${projectDir}\` to see them.`,
  });
}
