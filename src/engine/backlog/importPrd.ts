import { taskSpecSchema, type TaskSpec } from '../../shared/taskSpecSchema.js';
import { BacklogParseError } from './BacklogParseError.js';
import { scanMarkdownLines, type MarkdownLine } from './scanMarkdownLines.js';

interface Requirement {
  text: string;
  done: boolean;
  /** Continuation lines (sub-bullets, wrapped text, code) with their original indentation. */
  rest: MarkdownLine[];
}

const HEADING = /^(#{1,6})\s+(.*?)\s*$/;
const LIST_ITEM = /^(\s*)(?:[-*+]|\d{1,9}[.)])\s+(\S.*)$/;
const CHECKBOX = /^\[([ xX])\]\s+(.*)$/;
const REQUIREMENT_SECTION =
  /\b(requirements?|features?|tasks?|user stor(?:y|ies)|stories|deliverables?|scope|milestones?|backlog|capabilities|functionality)\b/i;
const OTHER_SECTION =
  /\b(non[- ]?goals?|non[- ]?functional|out[- ]of[- ]scope|open questions?|background|context|glossary|references?|risks?|assumptions?|appendix|notes?|overview|motivation|problem|metrics)\b/i;
const TITLE_LIMIT = 80;

/**
 * Turns a PRD into tasks `T1`..`Tn`, one per top-level numbered or bulleted item, in document order.
 *
 * Items count when they sit under a heading that names requirements (`Requirements`, `Features`,
 * `User stories`, `Scope`, `Tasks`, ... and any heading nested below one), unless a heading on the way
 * names something else (`Non-goals`, `Out of scope`, `Open questions`, `Background`, ...). A PRD with no
 * requirement heading takes the items under every other heading instead. Checked items (`- [x]`) are
 * skipped.
 *
 * Each task's description is the item verbatim, with its wrapped lines, sub-bullets and code dedented
 * below it, so the reviewer can quote from it. The title is a leading bold label (`**Divide**: ...`) or
 * else the first sentence, cut to 80 characters. Throws BacklogParseError when nothing qualifies.
 */
export function importPrd(options: {
  /** The PRD's markdown. */
  text: string;
  /** Name used in error messages. Default `PRD.md`. */
  source?: string;
}): TaskSpec[] {
  const lines = scanMarkdownLines({ text: options.text.replace(/\t/g, '    ') });
  const headings = lines.filter((entry) => !entry.fenced && HEADING.test(entry.text)).map((entry) => HEADING.exec(entry.text)![2]!);
  const anyRequirementSection = headings.some((text) => REQUIREMENT_SECTION.test(text) && !OTHER_SECTION.test(text));

  const requirements: Requirement[] = [];
  const path: Array<{ level: number; text: string }> = [];
  let eligible = false;
  let current: Requirement | null = null;
  let base = -1;
  let lastBlank = false;
  for (const entry of lines) {
    const heading = entry.fenced ? null : HEADING.exec(entry.text);
    if (heading) {
      const level = heading[1]!.length;
      while (path.length > 0 && path[path.length - 1]!.level >= level) path.pop();
      path.push({ level, text: heading[2]! });
      eligible =
        !path.some((step) => OTHER_SECTION.test(step.text)) &&
        (!anyRequirementSection || path.some((step) => REQUIREMENT_SECTION.test(step.text)));
      current = null;
      continue;
    }
    if (!eligible) continue;
    if (entry.fenced) {
      current?.rest.push(entry);
      continue;
    }
    const indent = /^\s*/.exec(entry.text)![0].length;
    const item = LIST_ITEM.exec(entry.text);
    if (item && (current === null || indent <= base)) {
      base = current === null ? indent : Math.min(base, indent);
      const box = CHECKBOX.exec(item[2]!);
      current = { text: (box ? box[2]! : item[2]!).trim(), done: box !== null && box[1] !== ' ', rest: [] };
      requirements.push(current);
      lastBlank = false;
      continue;
    }
    const blank = entry.text.trim() === '';
    // Indented lines belong to the item; an unindented line right after its text is a lazy continuation.
    if (current && (blank || indent > base || !lastBlank)) current.rest.push(entry);
    else current = null;
    lastBlank = blank;
  }

  const open = requirements.filter((requirement) => !requirement.done);
  if (open.length === 0) {
    throw new BacklogParseError({
      source: options.source ?? 'PRD.md',
      line: 1,
      problem: 'no requirements found',
      hint: 'List requirements as numbered or bulleted items under a heading such as "## Requirements", one item per unit of work.',
    });
  }
  return open.map((requirement, index) =>
    taskSpecSchema.parse({
      id: `T${index + 1}`,
      title: titleOf(firstParagraph(requirement)),
      description: describe(requirement),
    }),
  );
}

function describe(requirement: Requirement): string {
  const indents = requirement.rest
    .filter((entry) => entry.text.trim() !== '')
    .map((entry) => /^\s*/.exec(entry.text)![0].length)
    .filter((width) => width > 0);
  const dedent = indents.length === 0 ? 0 : Math.min(...indents);
  const lines = [
    requirement.text,
    ...requirement.rest.map((entry) => entry.text.slice(Math.min(dedent, /^\s*/.exec(entry.text)![0].length))),
  ];
  while (lines.length > 1 && lines[lines.length - 1]!.trim() === '') lines.pop();
  return lines.join('\n');
}

/** The item's text with the lines wrapped under it, up to a blank line or a nested list. */
function firstParagraph(requirement: Requirement): string {
  const parts = [requirement.text];
  for (const entry of requirement.rest) {
    if (entry.fenced || entry.opensFence || entry.text.trim() === '' || LIST_ITEM.test(entry.text)) break;
    parts.push(entry.text.trim());
  }
  return parts.join(' ');
}

function titleOf(text: string): string {
  const label = /^(\*\*|__)(.+?)\1/.exec(text);
  const raw = label ? label[2]! : (text.split(/(?<=[.!?])\s/)[0] ?? text);
  const plain = raw
    .replace(/(\*\*|__)/g, '')
    .replace(/[\s.:;,]+$/, '')
    .trim();
  if (plain.length <= TITLE_LIMIT) return plain === '' ? text.trim() : plain;
  const cut = plain.slice(0, TITLE_LIMIT - 3);
  const space = cut.lastIndexOf(' ');
  return `${(space > TITLE_LIMIT / 2 ? cut.slice(0, space) : cut).replace(/[\s.:;,]+$/, '')}...`;
}
