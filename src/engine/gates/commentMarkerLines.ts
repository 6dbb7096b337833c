/**
 * TODO/FIXME/XXX as a word. Not when it names code: after a dot or a quote (`Status.TODO`, `"TODO"`), or
 * before a quote or a member access (`TODO.value`).
 */
const MARKER = /(?<![\w.'"`$])(TODO|FIXME|XXX)(?![\w'"`$]|\.\w)/g;
/** `todo:` or `fixme:` opening a comment line, in any case. */
const LEADING_LOWERCASE_MARKER = /^[^A-Za-z0-9]*(?:todo|fixme)\s*:/i;
/** The JSDoc/Doxygen tag. */
const TODO_TAG = /(?:^|[\s*])[@\\]todo\b/i;

/**
 * Lines of a comment or docstring that mark unfinished work. FIXME counts anywhere; TODO and XXX count when
 * they open the line (after comment punctuation: `# TODO fix`, ` * TODO`, `"""TODO"""`) or are followed by
 * `:` or `(` (`... TODO: floats`, `TODO(alice)`), so that prose about a TODO state ("tasks in TODO move
 * to DONE") or a phone mask ("XXX-XXX") is not mistaken for one. `@todo` tags count too.
 */
export function commentMarkerLines(options: {
  /** The comment or docstring as written, delimiters may be included (they are punctuation). */
  text: string;
  /** 1-based line of the text's first character. */
  firstLine: number;
}): number[] {
  const lines: number[] = [];
  options.text.split(/\r\n|\r|\n/).forEach((text, offset) => {
    if (hasMarker(text)) lines.push(options.firstLine + offset);
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
