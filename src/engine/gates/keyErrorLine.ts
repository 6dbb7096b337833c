/** Banner lines runners draw around sections (`⎯⎯⎯ Startup Error ⎯⎯⎯`, `==== ERRORS ====`): headings, not errors. */
const DECORATION = /^\s*(?:[⎯─━═=_*#~-]{3,}.*[⎯─━═=_*#~-]{3,}|[⎯─━═=_*#~-]{3,})\s*$/;
/** Longest key line kept; it heads a rail's detail and feeds the fingerprint. */
const MAX_LINE = 300;

/**
 * Picks the line of test or tool output that best says what went wrong: pytest's `E` lines first, then a
 * TAP failure with its error message, then a line naming an error or exception, then a failing test
 * (`not ok`, `FAIL`), then the last line. Section banners are never picked.
 */
export function keyErrorLine(output: string): string {
  const lines = output
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line) => line.trim() !== '' && !DECORATION.test(line));
  const pick =
    lines.find((line) => /^E\s+\S/.test(line)) ??
    tapFailure(lines) ??
    lines.find((line) => /\b\w*(Error|Exception)\b/.test(line) && !/^\s*(at |File "|Traceback)/.test(line)) ??
    lines.find((line) => /^\s*(not ok\b|FAIL(ED)?\b|✖)/.test(line)) ??
    lines.at(-1) ??
    '';
  return pick.trim().replace(/\s+/g, ' ').slice(0, MAX_LINE);
}

/** `not ok 1 - adds` with its YAML `error:` text, unless the error is the runner's generic one. */
function tapFailure(lines: string[]): string | undefined {
  for (let index = 0; index < lines.length; index += 1) {
    const title = /^\s*not ok \d+ - (.*)$/.exec(lines[index] as string)?.[1];
    if (title === undefined) continue;
    for (let next = index + 1; next < lines.length && !/^\s*\.\.\.$/.test(lines[next] as string); next += 1) {
      const error = /^(\s*)error: (.*)$/.exec(lines[next] as string);
      if (!error) continue;
      const indent = (error[1] as string).length;
      let message = (error[2] as string).replace(/^\|-?$/, '').replace(/^'(.*)'$/, '$1');
      for (let more = next + 1; more < lines.length; more += 1) {
        const line = lines[more] as string;
        if (line.length - line.trimStart().length <= indent) break;
        message += ` ${line.trim()}`;
      }
      message = message.trim();
      if (message !== '' && message !== 'test failed') return `not ok - ${title}: ${message}`;
      break;
    }
  }
  return undefined;
}
