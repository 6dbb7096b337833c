import type { FileChange } from '../../ports/Vcs.js';

/** A failing test that RED proved fails for the right reason. */
export interface VerifiedRed {
  changes: FileChange[];
  testContent: string;
}
