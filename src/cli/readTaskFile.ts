import { readFile } from 'node:fs/promises';
import { taskSpecSchema, type TaskSpec } from '../shared/taskSpecSchema.js';
import { parseBacklog } from '../engine/backlog/parseBacklog.js';
import { BacklogParseError } from '../engine/backlog/BacklogParseError.js';
import { CliUsageError } from './CliUsageError.js';

/**
 * Reads one task for `nightshift gate`: JSON `{id, title, description, targetFiles?, testCommand?}`, a
 * markdown backlog holding exactly one task, or plain markdown (its first line is the title).
 */
export async function readTaskFile(options: { path: string }): Promise<TaskSpec> {
  let text: string;
  try {
    text = await readFile(options.path, 'utf8');
  } catch {
    throw new CliUsageError({ message: `Cannot read the task file ${options.path}.`, hint: 'Check the --task path.' });
  }
  if (text.trimStart().startsWith('{')) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new CliUsageError({ message: `${options.path} is not valid JSON: ${(error as Error).message}`, hint: 'Fix the JSON, or write the task as markdown.' });
    }
    const parsed = taskSpecSchema.safeParse(json);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
      throw new CliUsageError({ message: `${options.path} is not a task: ${issues}`, hint: 'A task is {"id": "T1", "title": "...", "description": "...", "targetFiles": [...]}.' });
    }
    return parsed.data;
  }
  let tasks: TaskSpec[] = [];
  try {
    tasks = parseBacklog({ text, source: options.path });
  } catch (error) {
    if (!(error instanceof BacklogParseError) || /^\s*(##|- \[)/m.test(text)) throw error;
  }
  if (tasks.length > 1) {
    throw new CliUsageError({ message: `${options.path} holds ${tasks.length} tasks; the gate checks one.`, hint: 'Pass a file with a single task.' });
  }
  if (tasks[0]) return tasks[0];
  const title = text.split('\n').map((line) => line.replace(/^#+\s*/, '').trim()).find(Boolean);
  if (!title) throw new CliUsageError({ message: `${options.path} is empty.`, hint: 'Describe the task the patch implements.' });
  return taskSpecSchema.parse({ id: 'task', title, description: text });
}
