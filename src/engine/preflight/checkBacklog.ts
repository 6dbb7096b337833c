import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { NightshiftError } from '../../shared/NightshiftError.js';
import { orderTasks } from '../backlog/orderTasks.js';
import { parseBacklog } from '../backlog/parseBacklog.js';
import type { PreflightCheck } from './PreflightCheck.js';

/** The backlog parses and its tasks can be ordered (no duplicate ids, unknown dependencies or cycles). */
export async function checkBacklog(options: {
  /** The repository root relative backlog paths resolve against. */
  root: string;
  /** Backlog file, relative to the root or absolute. */
  file: string;
}): Promise<PreflightCheck> {
  const base = { id: 'backlog', title: 'backlog parses and is ordered' };
  const path = isAbsolute(options.file) ? options.file : join(options.root, options.file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return {
      ...base,
      status: 'failed',
      detail: `No backlog at ${path}.`,
      fix: 'Write a TASKS.md at the project root ("## T1: Title" per task), pass --tasks FILE, or set "tasksFile" in nightshift.json.',
    };
  }
  try {
    const tasks = orderTasks({ tasks: parseBacklog({ text, source: options.file }) });
    if (tasks.length === 0) return { ...base, status: 'failed', detail: `${options.file} has no tasks.`, fix: 'Add a "## T1: Title" heading or a "- [ ] T1: Title" item per task.' };
    return { ...base, status: 'ok', detail: `${tasks.length} task(s) from ${options.file}, in order: ${tasks.map((task) => task.id).join(', ')}`, fix: '' };
  } catch (error) {
    if (!(error instanceof NightshiftError)) throw error;
    return { ...base, status: 'failed', detail: error.message, fix: error.hint };
  }
}
