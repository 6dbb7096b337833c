import type { TaskSpec } from '../../shared/taskSpecSchema.js';
import { importPrd } from './importPrd.js';
import { parseBacklog } from './parseBacklog.js';

/**
 * Reads a backlog to import from a TASKS.md (`tasks-md`) or a product requirements document (`prd`), with
 * the parsers the CLI uses; their BacklogParseError names the line at fault.
 */
export function importBacklogText(options: {
  format: 'tasks-md' | 'prd';
  /** The document's markdown. */
  text: string;
}): TaskSpec[] {
  return options.format === 'tasks-md' ? parseBacklog({ text: options.text }) : importPrd({ text: options.text });
}
