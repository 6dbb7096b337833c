import { createTwoFilesPatch } from 'diff';
import type { FileChange } from '../ports/Vcs.js';

/** A git-style unified diff of a change set, for the reviewer and handoff reports. */
export function unifiedDiff(options: { changes: FileChange[] }): string {
  return options.changes
    .map((change) =>
      createTwoFilesPatch(
        change.before === null ? '/dev/null' : `a/${change.path}`,
        change.after === null ? '/dev/null' : `b/${change.path}`,
        change.before ?? '',
        change.after ?? '',
        undefined,
        undefined,
        { context: 3 },
      ).replace(/^=+\n/m, ''),
    )
    .join('');
}
