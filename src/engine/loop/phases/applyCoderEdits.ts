import type { CoderOutput } from '../../../shared/coderOutputSchema.js';
import type { RailResult } from '../../../shared/railResultSchema.js';
import type { FileChange } from '../../ports/Vcs.js';
import { applyEdits } from '../../workspace/applyEdits.js';
import { EditApplyError } from '../../workspace/EditApplyError.js';
import { PathEscapeError } from '../../workspace/PathEscapeError.js';
import { AttemptFailed } from './AttemptFailed.js';
import type { TaskContext } from './TaskContext.js';

/** Applies edits; path escapes surface through the gates (so the path-safety rail reports them). */
export async function applyCoderEdits(options: {
  ctx: TaskContext;
  output: CoderOutput;
  /** Whether the verified failing test survives the failure this may raise. */
  keepTest: boolean;
}): Promise<FileChange[]> {
  const { ctx, output, keepTest } = options;
  try {
    return await applyEdits({ root: ctx.workspaceDir, edits: output.edits });
  } catch (error) {
    if (error instanceof PathEscapeError) {
      const rail: RailResult = {
        name: 'path-safety',
        passed: false,
        detail: `${error.message}. Nothing was written; only paths inside the repository are allowed.`,
        failureType: 'scope',
        file: String(error.context.path ?? ''),
      };
      throw new AttemptFailed({ type: 'scope', file: rail.file ?? '', evidence: error.message, feedback: `Rail "path-safety" failed: ${rail.detail}`, keepTest, rail });
    }
    if (error instanceof EditApplyError) {
      throw new AttemptFailed({
        type: 'localization',
        file: String(error.context.path ?? ''),
        evidence: error.message,
        feedback: `An edit could not be applied: ${error.message}`,
        keepTest,
      });
    }
    throw error;
  }
}
