import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseBacklog } from '../engine/backlog/parseBacklog.js';
import { benchLevelSchema } from '../shared/benchLevelSchema.js';
import { BenchLevelInvalidError } from './BenchLevelInvalidError.js';
import type { LoadedBenchLevel } from './LoadedBenchLevel.js';

/**
 * Reads one level folder: level.json through its schema, TASKS.md through the backlog parser, and the task
 * ids of `hidden/`. Throws `BenchLevelInvalidError` when any part is missing or refused, or a hidden folder
 * names a task the backlog lacks, or `hiddenTests` does not count exactly the tasks of `hidden/`, so a broken
 * level fails before a session starts.
 */
export async function loadBenchLevel(options: {
  /** The level folder (relative paths resolve against the cwd). */
  dir: string;
}): Promise<LoadedBenchLevel> {
  const dir = resolve(options.dir);
  const fail = (problem: string, cause?: unknown): never => {
    throw new BenchLevelInvalidError({ dir, problem, ...(cause === undefined ? {} : { cause }) });
  };
  const read = async (name: string): Promise<string> => {
    try {
      return await readFile(join(dir, name), 'utf8');
    } catch (error) {
      return fail(`${name} cannot be read`, error);
    }
  };
  let json: unknown;
  try {
    json = JSON.parse(await read('level.json'));
  } catch (error) {
    if (error instanceof BenchLevelInvalidError) throw error;
    fail('level.json is not JSON', error);
  }
  const parsed = benchLevelSchema.safeParse(json);
  if (!parsed.success) fail(`level.json: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'} ${issue.message}`).join('; ')}`);
  const level = parsed.data!;
  const repo = await stat(join(dir, 'repo')).catch(() => null);
  if (!repo?.isDirectory()) fail('repo/ is missing');
  const text = await read('TASKS.md');
  let tasks: LoadedBenchLevel['tasks'] = [];
  try {
    tasks = parseBacklog({ text, source: join(dir, 'TASKS.md') });
  } catch (error) {
    fail(`TASKS.md: ${error instanceof Error ? error.message : String(error)}`, error);
  }
  const hiddenEntries = await readdir(join(dir, 'hidden'), { withFileTypes: true }).catch(() => fail('hidden/ is missing'));
  const hiddenDirs = hiddenEntries.filter((entry) => entry.isDirectory()).map((entry) => entry.name);
  const unknown = hiddenDirs.filter((id) => !tasks.some((task) => task.id === id)).sort();
  if (unknown.length > 0) fail(`hidden/ has folders for tasks TASKS.md does not have: ${unknown.join(', ')}`);
  const hiddenTaskIds = tasks.map((task) => task.id).filter((id) => hiddenDirs.includes(id));
  if (level.hiddenTests) {
    const declared = Object.keys(level.hiddenTests);
    const undeclared = hiddenTaskIds.filter((id) => !declared.includes(id));
    const extra = declared.filter((id) => !hiddenTaskIds.includes(id)).sort();
    if (undeclared.length > 0) fail(`level.json hiddenTests lacks ${undeclared.join(', ')}, which hidden/ has tests for`);
    if (extra.length > 0) fail(`level.json hiddenTests counts tests for ${extra.join(', ')}, which hidden/ has no folder for`);
  }
  return { dir, level, tasks, hiddenTaskIds };
}
