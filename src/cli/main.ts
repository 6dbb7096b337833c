import { Command, CommanderError } from 'commander';
import { EnvironmentUnavailableError } from '../shared/EnvironmentUnavailableError.js';
import { NightshiftError } from '../shared/NightshiftError.js';
import { registerAuditCommand } from './commands/registerAuditCommand.js';
import { registerBenchCommand } from './commands/registerBenchCommand.js';
import { registerDemoCommand } from './commands/registerDemoCommand.js';
import { registerDoctorCommand } from './commands/registerDoctorCommand.js';
import { registerExplainCommand } from './commands/registerExplainCommand.js';
import { registerGateCommand } from './commands/registerGateCommand.js';
import { registerImportPrdCommand } from './commands/registerImportPrdCommand.js';
import { registerModelsCommand } from './commands/registerModelsCommand.js';
import { registerModelsPlanCommand } from './commands/registerModelsPlanCommand.js';
import { registerRunCommand } from './commands/registerRunCommand.js';
import { registerSandboxBuildCommand } from './commands/registerSandboxBuildCommand.js';
import { registerSandboxCommand } from './commands/registerSandboxCommand.js';
import { registerSandboxSetupCommand } from './commands/registerSandboxSetupCommand.js';
import { registerServeCommand } from './commands/registerServeCommand.js';
import { registerStatusCommand } from './commands/registerStatusCommand.js';
import { closedOutput } from './closedOutput.js';
import { readPackageVersion } from './readPackageVersion.js';

/** Exit code when what a command needs from the machine is not there: a sandbox, a model endpoint. */
const ENVIRONMENT_NOT_READY = 3;

/**
 * Runs the `nightshift` command line and returns the exit code: 0 success, 1 work refused or failed
 * (set by the command), 2 bad input, 3 environment not ready (a sandbox or model that is not there).
 */
export async function main(argv: string[]): Promise<number> {
  closedOutput.guard();
  const program = new Command()
    .name('nightshift')
    .description('A local, governed overnight engineer: plan, failing test, code, deterministic gates, review, commit.')
    .version(readPackageVersion(), '-V, --version', 'print the version')
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });
  registerRunCommand(program);
  registerStatusCommand(program);
  registerDoctorCommand(program);
  registerExplainCommand(program);
  registerAuditCommand(program);
  registerGateCommand(program);
  registerImportPrdCommand(program);
  registerDemoCommand(program);
  registerServeCommand(program);
  registerBenchCommand(program);
  const sandboxGroup = registerSandboxCommand(program);
  registerSandboxBuildCommand(sandboxGroup);
  registerSandboxSetupCommand(sandboxGroup);
  registerModelsPlanCommand(registerModelsCommand(program));
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof NightshiftError) {
      process.stderr.write(`nightshift: ${error.message}\n  ${error.hint}\n`);
      return error instanceof EnvironmentUnavailableError ? ENVIRONMENT_NOT_READY : 2;
    }
    process.stderr.write(`nightshift: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 2;
  }
}
