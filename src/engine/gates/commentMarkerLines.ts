/**
 * TODO/FIXME/XXX as a word. Not when it names code: after a dot or a quote (`Status.TODO`, `"TODO"`), or
 * before a quote or a member access (`TODO.value`); nor in a list of the markers themselves (`TODO/FIXME`).
 */
const MARKER = /(?<![\w.'"`$/])(TODO|FIXME|XXX)(?![\w'"`$/]|\.\w)/g;
/** A lowercase `todo:` or `fixme:` that opens a comment line. */
const LEADING_LOWERCASE_MARKER = /^[^A-Za-z0-9'"`]*(?:todo|fixme)\s*:/i;
/** The JSDoc/Doxygen tag. */
const TODO_TAG = /(?:^|[\s*])[@\\]todo\b/i;
/** A markdown code span, which names code rather than marking work. */
const CODE_SPAN = /`[^`]*`/g;

/**
 * Lines of a comment or docstring that mark unfinished work. `FIXME` counts anywhere; `TODO` and `XXX`
 * count when they open the line after comment punctuation (`# TODO fix`, `"""TODO"""`) or are followed by
 * a colon or a parenthesis (`handle floats, TODO: later`, `TODO(alice)`), so that prose about a task
 * state (`tasks in TODO move to DONE`) or a phone mask (`XXX-XXX`) is not read as one. `@todo` tags and a
 * leading lowercase `todo:` count too. Code spans in backticks are code, not markers.
 */
export function commentMarkerLines(options: {
  /** The comment or docstring as written; its delimiters may be included (they are punctuation). */
  text: string;
  /** 1-based line of the text's first character. */
  firstLine: number;
}): number[] {
  const lines: number[] = [];
  options.text.split(/\r\n|\r|\n/).forEach((text, offset) => {
    if (hasMarker(text.replace(CODE_SPAN, (span) => ' '.repeat(span.length)))) lines.push(options.firstLine + offset);
  });
  return lines;
}

function hasMarker(text: string): boolean {
  if (TODO_TAG.test(text) || LEADING_LOWERCASE_MARKER.test(text)) return true;
  for (const match of text.matchAll(MARKER)) {
    if (match[1] === 'FIXME') return true;
    const before = text.slice(0, match.index);
    const after = text.slice(match.index + match[0].length);
    if (!/[A-Za-z0-9]/.test(before) || /^\s*:/.test(after) || after.startsWith('(')) return true;
  }
  return false;
}
