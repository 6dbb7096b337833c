/** How to run and recognise tests in one project, as detected from its files and `nightshift.json`. */
export interface StackProfile {
  /** Detected toolchain; `custom` when only `nightshift.json` says how to test. */
  name: 'python-pytest' | 'node-test' | 'node-vitest' | 'custom';
  /** Full-suite command, run with `/bin/sh -c` in the workspace root. */
  testCommand: string;
  /** Command that runs just these test files (workspace-relative paths; quoted by the function). */
  testFileCommand: (files: string[]) => string;
  /** Whether a workspace-relative path is a test file by the stack's conventions. */
  isTestFile: (path: string) => boolean;
  sourceLanguage: 'python' | 'typescript' | 'javascript' | 'unknown';
  /**
   * The test runner behind the commands, whose machine-readable report the rails read; null when the commands
   * run something Nightshift cannot read (then only the exit code is known, and the rails say so).
   */
  runner: TestRunner | null;
}

/** Test runners whose reports Nightshift reads. */
export type TestRunner = 'pytest' | 'vitest' | 'node-test';
