import { isBacklogSyntax } from './isBacklogSyntax.js';

/**
 * Removes the one backslash that makes a heading- or field-like description line literal text
 * (`\Test: it returns 404` -> `Test: it returns 404`). Other lines come back unchanged.
 */
export function unescapeBacklogLine(options: {
  /** One description line outside fenced code. */
  text: string;
}): string {
  const match = /^(\s*)\\(\\*)(.*)$/.exec(options.text);
  if (!match || !isBacklogSyntax({ text: match[3]! })) return options.text;
  return `${match[1]}${match[2]}${match[3]}`;
}
