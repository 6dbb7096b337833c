/** One placeholder found in a file's content after the change. */
export interface StubFinding {
  /** 1-based line the finding is reported at. */
  line: number;
  /** 1-based last line of the construct; the finding counts when any line from `line` to here was added. */
  endLine: number;
  /** What was found, for the rail's `file:line: message` detail. */
  message: string;
}
