/** A task field line in a backlog. */
export interface BacklogField {
  name: 'dependsOn' | 'targetFiles' | 'testCommand';
  /** The text after the colon, trimmed. */
  value: string;
}

// Optional bullet, optional bold around the name (colon inside or outside the bold), then the value.
const FIELD =
  /^\s*(?:[-*+]\s+)?(\*\*|__)?(depends[\s-]*on|dependencies|(?:target\s+)?files|test(?:\s+command)?)(?::\s*\1|\1\s*:)(.*)$/i;

/**
 * Reads `Depends on: T1, T2`, `Files: a.py, b.py` or `Test: <command>` (any case; also `Dependencies:`,
 * `Target files:`, `Test command:`, a leading `- ` and `**Files:**`). Returns null for any other line.
 */
export function matchBacklogField(options: {
  /** One line of a task's body. */
  text: string;
}): BacklogField | null {
  const match = FIELD.exec(options.text);
  if (!match) return null;
  const key = match[2]!.toLowerCase();
  const name = key.startsWith('test') ? 'testCommand' : key.endsWith('files') ? 'targetFiles' : 'dependsOn';
  return { name, value: match[3]!.trim() };
}
