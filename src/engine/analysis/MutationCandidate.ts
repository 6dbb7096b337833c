import type { MUTANT_KINDS } from './MUTANT_KINDS.js';

/**
 * A mutation found by a language's helper, as a replacement of whole lines so that it means the same in
 * Python (code points) and JavaScript (UTF-16) strings. The replacement keeps the file's line count.
 */
export interface MutationCandidate {
  kind: (typeof MUTANT_KINDS)[number];
  /** 1-based line of the changed operator. */
  line: number;
  /** First and last replaced line, 1-based, inclusive. */
  startLine: number;
  endLine: number;
  /** The new text of lines `startLine`..`endLine`, joined by `\n`. */
  text: string;
  /** The source text that was replaced, and what replaced it. */
  original: string;
  replacement: string;
}
