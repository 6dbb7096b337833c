import { taskSpecSchema, type TaskSpec } from '../../shared/taskSpecSchema.js';
import { BacklogParseError } from './BacklogParseError.js';
import { findDependencyCycle } from './findDependencyCycle.js';
import { matchBacklogField } from './matchBacklogField.js';
import { scanMarkdownLines, type MarkdownLine } from './scanMarkdownLines.js';
import { unescapeBacklogLine } from './unescapeBacklogLine.js';
import { unwrapCodeSpan } from './unwrapCodeSpan.js';

interface Draft {
  id: string;
  title: string;
  line: number;
  done: boolean;
  /** Checklist items take their indented continuation lines; headings take everything. */
  kind: 'heading' | 'item';
  body: MarkdownLine[];
}

interface ParsedTask {
  spec: TaskSpec;
  line: number;
  done: boolean;
  dependencyLines: Map<string, number>;
}

const ID = taskSpecSchema.shape.id;
const HEADING = /^(#{1,6})(?:\s+(.*?))?\s*$/;
const CHECKLIST = /^[-*+]\s+\[([ xX])\]\s+(.*)$/;

/**
 * Parses a markdown backlog into tasks, in document order.
 *
 * The format:
 * - `## <id>: <title>` starts a task; its description is every line below it up to the next `#` or `##`
 *   heading (deeper headings, lists, checklists and code blocks included).
 * - Outside `##` tasks, a checklist item at the start of a line, `- [ ] <id>: <title>`, is a task; its
 *   indented continuation lines are its description. `- [x]` marks a task already done: it is left out
 *   of the result and dependencies on it count as satisfied. `*`/`+` bullets and `[X]` are accepted.
 * - Ids follow taskSpecSchema (`T1`, `add-divide`); backticks or `**` around an id are allowed. The title
 *   is the rest of the line after the first colon.
 * - `#` headings and any other text outside tasks (a document title, an introduction) are ignored.
 * - In a task, the lines `Depends on: T1, T2`, `Files: src/a.py, tests/test_a.py` and `Test: <command>`
 *   (any case; `Dependencies:`, `Target files:`, `Test command:`, a leading `- ` and `**Files:**` also
 *   work; values may be `code spans`) set dependsOn, targetFiles and testCommand and are removed from
 *   the description. `Depends on` and `Files` may repeat and add up; `none` means none. Everything else,
 *   such as a "Required imports:" block, stays in the description verbatim.
 * - Fenced code is never read as structure. A description line that must begin like a heading or a field
 *   is written with a leading backslash (`\Test: returns 404`), which is removed.
 *
 * Throws BacklogParseError (`TASKS.md:12: ...`) for a `##` heading or checklist item without a valid id
 * or title, duplicate ids, dependencies on unknown ids, dependency cycles, a repeated or empty `Test:`
 * line, and a document with no tasks at all. A backlog whose tasks are all done yields `[]`.
 */
export function parseBacklog(options: {
  /** The markdown text. */
  text: string;
  /** Name used in error messages. Default `TASKS.md`. */
  source?: string;
}): TaskSpec[] {
  const source = options.source ?? 'TASKS.md';
  const fail = (line: number, problem: string): never => {
    throw new BacklogParseError({ source, line, problem });
  };
  const drafts = collectDrafts(scanMarkdownLines({ text: options.text }), fail);
  if (drafts.length === 0) fail(1, 'no tasks found');

  const parsed: ParsedTask[] = [];
  const seen = new Map<string, number>();
  for (const draft of drafts) {
    const first = seen.get(draft.id);
    if (first !== undefined) fail(draft.line, `duplicate task id ${draft.id} (first defined on line ${first})`);
    seen.set(draft.id, draft.line);
    parsed.push(buildTask(draft, fail));
  }

  const doneIds = new Set(parsed.filter((task) => task.done).map((task) => task.spec.id));
  for (const task of parsed) {
    for (const [dep, line] of task.dependencyLines) {
      if (!seen.has(dep)) fail(line, `task ${task.spec.id} depends on unknown task ${dep}`);
    }
  }

  const open = parsed
    .filter((task) => !task.done)
    .map((task) => ({ ...task, spec: { ...task.spec, dependsOn: task.spec.dependsOn.filter((dep) => !doneIds.has(dep)) } }));
  const cycle = findDependencyCycle({ tasks: open.map((task) => task.spec) });
  if (cycle) {
    const start = open.find((task) => task.spec.id === cycle[0])!;
    fail(start.line, `dependency cycle ${cycle.join(' -> ')}`);
  }
  return open.map((task) => task.spec);
}

function collectDrafts(lines: MarkdownLine[], fail: (line: number, problem: string) => never): Draft[] {
  const drafts: Draft[] = [];
  let current: Draft | null = null;
  for (const entry of lines) {
    if (entry.fenced) {
      // Code opened inside a task belongs to it; code outside tasks is ignored.
      current?.body.push(entry);
      continue;
    }
    const heading = HEADING.exec(entry.text);
    if (heading && heading[1]!.length <= 2) {
      current = null;
      if (heading[1]!.length === 2) {
        current = startDraft(entry, heading[2] ?? '', 'heading', false, fail);
        drafts.push(current);
      }
      continue;
    }
    if (current?.kind === 'heading') {
      current.body.push(entry);
      continue;
    }
    const item = CHECKLIST.exec(entry.text);
    if (item) {
      current = startDraft(entry, item[2]!, 'item', item[1] !== ' ', fail);
      drafts.push(current);
      continue;
    }
    if (current && (entry.text.trim() === '' || /^(\t| {2})/.test(entry.text))) {
      current.body.push(entry);
      continue;
    }
    current = null;
  }
  return drafts;
}

function startDraft(
  entry: MarkdownLine,
  text: string,
  kind: Draft['kind'],
  done: boolean,
  fail: (line: number, problem: string) => never,
): Draft {
  const what = kind === 'heading' ? `heading "${entry.text.trim()}"` : `checklist item "${entry.text.trim()}"`;
  const colon = text.indexOf(':');
  const id = colon < 0 ? '' : stripIdMarkup(text.slice(0, colon));
  if (!ID.safeParse(id).success) {
    fail(entry.line, `${what} has no task id; write "${kind === 'heading' ? '## ' : '- [ ] '}<id>: <title>" with an id of letters, digits, ".", "_" or "-"`);
  }
  const title = text.slice(colon + 1).trim();
  if (title === '') fail(entry.line, `task ${id} has no title after the colon`);
  return { id, title, line: entry.line, done, kind, body: [] };
}

function stripIdMarkup(raw: string): string {
  return raw.trim().replace(/^(\*\*|__)(.*)\1$/, '$2').replace(/^`(.*)`$/, '$1').trim();
}

function buildTask(draft: Draft, fail: (line: number, problem: string) => never): ParsedTask {
  const dependencyLines = new Map<string, number>();
  const targetFiles: string[] = [];
  let testCommand: { value: string; line: number } | undefined;
  const kept: string[] = [];
  let afterRemovedField = false;

  const indent = draft.kind === 'item' ? commonIndent(draft.body) : 0;
  for (const entry of draft.body) {
    const text = entry.text.slice(Math.min(indent, leadingWhitespace(entry.text)));
    const field = entry.fenced ? null : matchBacklogField({ text });
    if (!field) {
      const line = entry.fenced ? text : unescapeBacklogLine({ text });
      // Removing a field between two blank lines must not leave a double gap behind.
      const blank = line.trim() === '';
      if (!(blank && afterRemovedField && kept.length > 0 && kept[kept.length - 1]!.trim() === '')) kept.push(line);
      if (!blank) afterRemovedField = false;
      continue;
    }
    afterRemovedField = true;
    if (field.name === 'testCommand') {
      if (testCommand) fail(entry.line, `task ${draft.id} has more than one Test line (first on line ${testCommand.line})`);
      const value = unwrapCodeSpan({ value: field.value });
      if (value === '') fail(entry.line, `task ${draft.id} has an empty Test line`);
      testCommand = { value, line: entry.line };
    } else if (field.name === 'targetFiles') {
      for (const file of listValues(field.value, /,/)) if (!targetFiles.includes(file)) targetFiles.push(file);
    } else {
      for (const dep of listValues(field.value, /[,\s]+/)) {
        if (dep.toLowerCase() === 'and') continue;
        if (!ID.safeParse(dep).success) fail(entry.line, `task ${draft.id} lists "${dep}" as a dependency, which is not a task id`);
        if (!dependencyLines.has(dep)) dependencyLines.set(dep, entry.line);
      }
    }
  }

  const spec = taskSpecSchema.parse({
    id: draft.id,
    title: draft.title,
    description: trimBlankLines(kept).join('\n'),
    dependsOn: [...dependencyLines.keys()],
    targetFiles,
    ...(testCommand ? { testCommand: testCommand.value } : {}),
  });
  return { spec, line: draft.line, done: draft.done, dependencyLines };
}

/** Splits a list value on separators outside code spans and unwraps each item; `none` means empty. */
function listValues(value: string, separator: RegExp): string[] {
  if (/^(none|n\/a|-)$/i.test(value.trim())) return [];
  const items: string[] = [];
  let currentItem = '';
  let tick = 0;
  for (let i = 0; i < value.length; i++) {
    const char = value[i]!;
    if (char === '`') {
      const run = /^`+/.exec(value.slice(i))![0].length;
      tick = tick === 0 ? run : tick === run ? 0 : tick;
      currentItem += '`'.repeat(run);
      i += run - 1;
      continue;
    }
    if (tick === 0 && separator.test(char)) {
      items.push(currentItem);
      currentItem = '';
      continue;
    }
    currentItem += char;
  }
  items.push(currentItem);
  return items.map((item) => unwrapCodeSpan({ value: item })).filter((item) => item !== '');
}

function leadingWhitespace(text: string): number {
  return /^\s*/.exec(text)![0].length;
}

function commonIndent(body: MarkdownLine[]): number {
  const widths = body.filter((entry) => entry.text.trim() !== '').map((entry) => leadingWhitespace(entry.text));
  return widths.length === 0 ? 0 : Math.min(...widths);
}

function trimBlankLines(lines: string[]): string[] {
  let start = 0;
  let end = lines.length;
  while (start < end && lines[start]!.trim() === '') start++;
  while (end > start && lines[end - 1]!.trim() === '') end--;
  return lines.slice(start, end);
}
