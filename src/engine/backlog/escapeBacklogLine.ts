import { isBacklogSyntax } from './isBacklogSyntax.js';

/**
 * Prefixes a description line with a backslash (after its indentation) when parseBacklog would otherwise
 * read it as a heading or a field; unescapeBacklogLine undoes exactly this. Lines already starting with
 * backslashes get one more, so they survive the round trip too.
 */
export function escapeBacklogLine(options: {
  /** One description line outside fenced code. */
  text: string;
}): string {
  const match = /^(\s*)(\\*)(.*)$/.exec(options.text)!;
  if (!isBacklogSyntax({ text: match[3]! })) return options.text;
  return `${match[1]}\\${match[2]}${match[3]}`;
}
