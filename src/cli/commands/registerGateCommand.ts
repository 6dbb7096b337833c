import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { CliUsageError } from '../CliUsageError.js';
import { readTaskFile } from '../readTaskFile.js';

/** `nightshift gate`: the deterministic rails on a patch. Exit 0 GO, 1 NO_GO, 2 bad input. */
export function registerGateCommand(program: Command): void {
  program
    .command('gate')
    .description('run the deterministic rails on a unified diff applied to HEAD in a throwaway workspace (the repository is never modified)')
    .requiredOption('--repo <dir>', 'the git repository')
    .requiredOption('--task <file>', 'the task: JSON {id, title, description, targetFiles?, testCommand?} or markdown')
    .requiredOption('--patch <file>', 'unified diff to check')
    .option('--json', 'print the report as JSON')
    .addOption(new Option('--sandbox <kind>', 'where the rails run commands (default: nightshift.json "sandbox", else auto)').choices(['auto', 'docker', 'native', 'local']))
    .option('--allow-unsandboxed', 'allow running commands loose on this machine when no sandbox is available')
    .action(async (flags: { repo: string; task: string; patch: string; json?: boolean; sandbox?: 'auto' | 'docker' | 'native' | 'local'; allowUnsandboxed?: boolean }) => {
      const { checkPatch } = await import('../../engine/checkPatch.js');
      const { createSandboxFactory } = await import('../../sandbox/createSandboxFactory.js');
      const { createGitVcs } = await import('../../engine/vcs/createGitVcs.js');
      const task = await readTaskFile({ path: resolve(flags.task) });
      let patch: string;
      try {
        patch = await readFile(resolve(flags.patch), 'utf8');
      } catch {
        throw new CliUsageError({ message: `Cannot read the patch file ${flags.patch}.`, hint: 'Check the --patch path.' });
      }
      const report = await checkPatch({
        repoDir: resolve(flags.repo),
        task,
        patch,
        vcs: createGitVcs(),
        createSandbox: createSandboxFactory({
          ...(flags.sandbox ? { preference: flags.sandbox } : {}),
          ...(flags.allowUnsandboxed ? { allowUnsandboxed: true } : {}),
        }),
        scratchDir: resolve(tmpdir(), 'nightshift-gate'),
      });
      if (flags.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      else {
        for (const rail of report.rails) {
          process.stdout.write(`${rail.skipped ? '-' : rail.passed ? '✓' : '✗'} ${rail.name.padEnd(15)} ${rail.detail.split('\n')[0] ?? ''}\n`);
        }
        process.stdout.write(`${report.verdict}${report.fingerprint ? ` (fingerprint ${report.fingerprint})` : ''}\n`);
      }
      process.exitCode = report.verdict === 'GO' ? 0 : 1;
    });
}
