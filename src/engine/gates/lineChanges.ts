import { diffLines } from 'diff';

/** Added lines (1-based numbers in the new content) and the count of removed lines between two versions. */
export function lineChanges(options: {
  /** Old content; null for a new file. */
  before: string | null;
  /** New content; null for a deleted file. */
  after: string | null;
}): { added: Array<{ line: number; text: string }>; removedCount: number } {
  const added: Array<{ line: number; text: string }> = [];
  let removedCount = 0;
  let line = 1;
  for (const part of diffLines(options.before ?? '', options.after ?? '')) {
    const lines = splitLines(part.value);
    if (part.removed) {
      removedCount += lines.length;
    } else if (part.added) {
      for (const text of lines) {
        added.push({ line, text });
        line += 1;
      }
    } else {
      line += lines.length;
    }
  }
  return { added, removedCount };
}

function splitLines(value: string): string[] {
  if (value === '') return [];
  const lines = value.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}
