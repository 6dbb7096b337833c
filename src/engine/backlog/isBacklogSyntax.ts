import { matchBacklogField } from './matchBacklogField.js';

/** True when a line, read as part of a task body, would be taken as a `#`/`##` heading or a field. */
export function isBacklogSyntax(options: {
  /** The line with any leading whitespace and escaping backslashes already removed. */
  text: string;
}): boolean {
  return /^#{1,6}(\s|$)/.test(options.text) || matchBacklogField({ text: options.text }) !== null;
}
