import type { ProjectConfig } from '../../shared/projectConfigSchema.js';
import type { RailResult } from '../../shared/railResultSchema.js';
import type { Sandbox } from '../ports/Sandbox.js';
import type { FileChange } from '../ports/Vcs.js';
import type { StackProfile } from '../stack/StackProfile.js';
import { writeChanges } from '../workspace/writeChanges.js';
import { classifyCommandFailure } from './classifyCommandFailure.js';
import { commandOutput } from './commandOutput.js';
import { describeCommandFailure } from './describeCommandFailure.js';
import { keyErrorLine } from './keyErrorLine.js';
import { runRailCommand } from './runRailCommand.js';

/**
 * Rail `bite`: the new or changed tests must fail without the code change and pass with it. The non-test
 * changes are reverted on disk, the tests run (must fail), the changes are restored (always, even when the
 * run throws or is cancelled) and the tests run again (must pass). A change with no test change fails: no
 * test exercises it.
 */
export async function checkBite(options: {
  /** Absolute path of the workspace root, holding the changes applied. */
  workspaceDir: string;
  /** Every touched file with its content before and after the change. */
  changes: FileChange[];
  /** Whether a workspace-relative path is a test file (stack conventions or the plan's test files). */
  isTest: (path: string) => boolean;
  /** How the project runs and recognises tests. */
  stack: StackProfile;
  /** Where commands run. */
  sandbox: Sandbox;
  /** Parsed nightshift.json: limits (`commandTimeoutMs`, `outputLimitBytes`) and commands. */
  config: ProjectConfig;
  /** Workspace-relative paths used to tell project modules from missing dependencies. */
  localPaths: string[];
  /** Cancels the test runs; the workspace is restored, then the abort reason is thrown. */
  signal?: AbortSignal;
}): Promise<RailResult> {
  const tests = options.changes.filter((change) => options.isTest(change.path) && change.after !== null).map((change) => change.path);
  if (tests.length === 0) {
    return {
      name: 'bite',
      passed: false,
      failureType: 'bite',
      detail: 'no test exercises this change: it adds or changes no test file. Add a test that fails without the change.',
    };
  }
  const code = options.changes.filter((change) => !options.isTest(change.path));
  const command = options.stack.testFileCommand(tests);

  let withoutCode;
  try {
    await writeChanges({ root: options.workspaceDir, changes: code, side: 'before' });
    withoutCode = await runRailCommand({ ...options, command });
  } finally {
    await writeChanges({ root: options.workspaceDir, changes: code, side: 'after' });
  }
  options.signal?.throwIfAborted();
  if (withoutCode.outcome === 'exited' && withoutCode.exitCode === 0) {
    return {
      name: 'bite',
      passed: false,
      failureType: 'bite',
      file: tests[0],
      detail: `the tests pass without the code change, so they do not exercise it: ${tests.join(', ')}\n$ ${command}  (exit 0 with ${code.length === 0 ? 'no code changes to revert' : `${code.length} code file(s) reverted`})`,
    };
  }

  const withCode = await runRailCommand({ ...options, command });
  if (withCode.outcome === 'exited' && withCode.exitCode === 0) {
    const why = withoutCode.outcome === 'timeout' ? 'time out' : `fail (${keyErrorLine(commandOutput(withoutCode)) || `exit ${withoutCode.exitCode}`})`;
    return { name: 'bite', passed: true, detail: `the tests ${why} without the code change and pass with it` };
  }
  return {
    name: 'bite',
    passed: false,
    failureType: classifyCommandFailure({ result: withCode, localPaths: options.localPaths }),
    detail: describeCommandFailure({ summary: 'the new tests fail with the code change', command, result: withCode }),
  };
}
