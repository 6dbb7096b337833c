import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ProjectConfig } from '../../shared/projectConfigSchema.js';
import { commandOutput } from '../gates/commandOutput.js';
import { cutOutput } from '../gates/cutOutput.js';
import type { Sandbox, SandboxResult } from '../../shared/sandbox/Sandbox.js';
import type { StackProfile } from '../../shared/StackProfile.js';
import { shellQuote } from '../stack/shellQuote.js';
import type { PreflightCheck } from './PreflightCheck.js';
import { readRequirementNames } from './readRequirementNames.js';
import { runnerProbeCommand } from './runnerProbeCommand.js';

/** Probes are tiny; a sandbox that cannot run one in this long is not usable. */
const PROBE_TIMEOUT_MS = 60_000;
const PROBE_OUTPUT_BYTES = 64 * 1024;
const SETUP_FIX =
  'Install them where commands run: `nightshift sandbox setup --project DIR --allow-network` (pip into .nightshift-deps), "sandboxPackages" in nightshift.json (Docker), or a .venv in the project.';
/** Prints each module that fails to import as `name: error`, one per line; exits 0 either way. */
const IMPORT_SCRIPT = [
  'import importlib, sys',
  'for name in sys.argv[1:]:',
  '    try:',
  '        importlib.import_module(name)',
  '    except BaseException as error:',
  '        lines = str(error).splitlines()',
  '        print(name + ": " + type(error).__name__ + (": " + lines[0] if lines else ""))',
].join('\n');

/**
 * What the session's commands need from the sandbox: it runs a trivial command, the stack's test runner
 * starts in it, and (Python) every requirements.txt package imports there. Later checks are left out
 * when the sandbox cannot run anything.
 */
export async function checkSandboxEnvironment(options: {
  sandbox: Sandbox;
  workspaceDir: string;
  stack: StackProfile;
  config: ProjectConfig;
  signal?: AbortSignal;
}): Promise<PreflightCheck[]> {
  const run = (command: string, label: string) =>
    options.sandbox.run({
      command,
      workspaceDir: options.workspaceDir,
      timeoutMs: Math.min(PROBE_TIMEOUT_MS, options.config.commandTimeoutMs),
      outputLimitBytes: PROBE_OUTPUT_BYTES,
      label,
      ...(options.signal ? { signal: options.signal } : {}),
    });
  const where = `the ${options.sandbox.kind} sandbox${options.sandbox.isolated ? '' : ' (UNSANDBOXED)'}`;

  const probe = await run('echo nightshift-ready', 'preflight:sandbox');
  if (!succeeded(probe) || !probe.stdout.includes('nightshift-ready')) {
    return [
      {
        id: 'sandbox',
        title: 'sandbox runs commands',
        status: 'failed',
        component: 'sandbox',
        detail: `${where} could not run a trivial command: ${describe(probe)}`,
        fix: 'Check the sandbox (`nightshift sandbox doctor`): start Docker, or choose another with --sandbox native (or local with --allow-unsandboxed).',
      },
    ];
  }
  const checks: PreflightCheck[] = [{ id: 'sandbox', title: 'sandbox runs commands', status: 'ok', detail: `${where} runs commands`, fix: '' }];

  const runnerCommand = runnerProbeCommand({ stack: options.stack });
  const runner = await run(runnerCommand, 'preflight:runner');
  const runnerName = options.stack.runner ?? 'the test command';
  checks.push(
    succeeded(runner)
      ? { id: 'runner', title: 'test runner exists', status: 'ok', detail: `${runnerName}: ${firstLine(commandOutput(runner)) || 'found'}`, fix: '' }
      : {
          id: 'runner',
          title: 'test runner exists',
          status: 'failed',
          component: 'runner',
          detail: `${runnerName} cannot start in ${where} (\`${runnerCommand}\`: ${describe(runner)})`,
          fix: `Install ${runnerName} where commands run (requirements.txt or package.json, then \`nightshift sandbox setup --project DIR --allow-network\`), or set "testCommand" in nightshift.json to a runner that is there.`,
        },
  );

  const names = options.stack.sourceLanguage === 'python' ? await requirementNames(options.workspaceDir) : [];
  if (names.length > 0) {
    const python = /(?:^|\s)(\S*python[0-9.]*)\s+-m\s+pytest\b/.exec(options.stack.testCommand)?.[1] ?? 'python3';
    const result = await run([python, '-c', IMPORT_SCRIPT, ...names].map(shellQuote).join(' '), 'preflight:imports');
    const missing = result.stdout.split('\n').filter((line) => line.trim());
    checks.push(
      succeeded(result) && missing.length === 0
        ? { id: 'dependencies', title: 'declared dependencies import', status: 'ok', detail: `requirements.txt: ${names.join(', ')} import`, fix: '' }
        : {
            id: 'dependencies',
            title: 'declared dependencies import',
            status: 'failed',
            component: 'dependencies',
            detail: succeeded(result)
              ? `requirements.txt packages that do not import in ${where}: ${missing.join('; ')}`
              : `${python} could not check the imports in ${where}: ${describe(result)}`,
            fix: SETUP_FIX,
          },
    );
  }
  return checks;
}

async function requirementNames(workspaceDir: string): Promise<string[]> {
  try {
    return readRequirementNames({ text: await readFile(join(workspaceDir, 'requirements.txt'), 'utf8') });
  } catch {
    return [];
  }
}

function succeeded(result: SandboxResult): boolean {
  return result.outcome === 'exited' && result.exitCode === 0;
}

function describe(result: SandboxResult): string {
  const ended = result.outcome === 'exited' ? `exit ${result.exitCode}` : result.outcome;
  const output = commandOutput(result).trim();
  return output ? `${ended}: ${cutOutput({ text: output, limitBytes: 2000 })}` : ended;
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0] ?? '';
}
