import type { TaskSpec } from '../../shared/taskSpecSchema.js';
import { escapeBacklogLine } from './escapeBacklogLine.js';
import { scanMarkdownLines } from './scanMarkdownLines.js';

/**
 * Writes tasks in the backlog format parseBacklog reads (a `# Tasks` title, then one `## <id>: <title>`
 * section per task with its description and `Depends on:`, `Files:` and `Test:` lines), ending in a
 * newline. `parseBacklog({ text: formatBacklog({ tasks }) })` gives the same tasks back, provided titles
 * are one line, descriptions carry no leading or trailing blank lines and close the code fences they
 * open (as parseBacklog and importPrd produce them). Heading- and field-like description lines are
 * escaped with a backslash.
 */
export function formatBacklog(options: {
  /** Tasks in the order to write them. */
  tasks: readonly TaskSpec[];
}): string {
  const sections = options.tasks.map((task) => {
    const lines = [`## ${task.id}: ${task.title}`, ''];
    if (task.description !== '') {
      for (const entry of scanMarkdownLines({ text: task.description })) {
        lines.push(entry.fenced ? entry.text : escapeBacklogLine({ text: entry.text }));
      }
      lines.push('');
    }
    const fields: string[] = [];
    if (task.dependsOn.length > 0) fields.push(`Depends on: ${task.dependsOn.join(', ')}`);
    if (task.targetFiles.length > 0) fields.push(`Files: ${task.targetFiles.map((file) => codeSpanIfNeeded(file, true)).join(', ')}`);
    if (task.testCommand !== undefined) fields.push(`Test: ${codeSpanIfNeeded(task.testCommand, false)}`);
    if (fields.length > 0) lines.push(...fields, '');
    return lines.join('\n');
  });
  return ['# Tasks', '', ...sections].join('\n').replace(/\n*$/, '\n');
}

/**
 * Values with surrounding spaces or backticks at either end (or commas, in lists) would be split or
 * unwrapped by the parser; a code span with a fence longer than any backtick run inside keeps them literal.
 */
function codeSpanIfNeeded(value: string, inList: boolean): string {
  if (!/^\s|\s$|^`|`$/.test(value) && !(inList && value.includes(','))) return value;
  const longest = Math.max(0, ...(value.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence} ${value} ${fence}`;
}
