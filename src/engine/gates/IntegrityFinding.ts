/** One way a change weakens the tests, reported as `file:line: test <id>: message`. */
export interface IntegrityFinding {
  /** Workspace-relative path of the file the finding is about. */
  file: string;
  /** 1-based line in that file (the after side, or the before side for something removed). */
  line: number;
  /** The test's id (`path::Class::name`), or null when the finding is about a file or a configuration. */
  test: string | null;
  message: string;
}
