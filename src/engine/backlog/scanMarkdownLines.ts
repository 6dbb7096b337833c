/** One line of a markdown document with its code-fence state. */
export interface MarkdownLine {
  /** The line without its line break. */
  text: string;
  /** 1-based line number. */
  line: number;
  /** True for lines inside a fenced code block, the closing fence included. */
  fenced: boolean;
  /** True for the line that opens a fenced code block. */
  opensFence: boolean;
}

/**
 * Splits markdown into lines and marks fenced code blocks, so that `# comment` in a Python block or
 * `Test:` in a sample is never read as structure. A fence is three or more backticks or tildes at any
 * indentation; it closes at a line holding only a run of the same character at least as long. An
 * unclosed fence runs to the end of the document, as in CommonMark.
 */
export function scanMarkdownLines(options: {
  /** The document; `\r\n` and `\r` line breaks are accepted. */
  text: string;
}): MarkdownLine[] {
  const result: MarkdownLine[] = [];
  let fence: { char: string; length: number } | null = null;
  options.text.split(/\r\n|\r|\n/).forEach((text, index) => {
    const marker = /^\s*(`{3,}|~{3,})(.*)$/.exec(text);
    if (fence) {
      const closes =
        marker !== null && marker[1]![0] === fence.char && marker[1]!.length >= fence.length && marker[2]!.trim() === '';
      result.push({ text, line: index + 1, fenced: true, opensFence: false });
      if (closes) fence = null;
      return;
    }
    // A backtick fence's info string may not contain backticks; otherwise it is inline code.
    const opens = marker !== null && !(marker[1]![0] === '`' && marker[2]!.includes('`'));
    result.push({ text, line: index + 1, fenced: false, opensFence: opens });
    if (opens) fence = { char: marker[1]![0]!, length: marker[1]!.length };
  });
  return result;
}
