import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { loadModelCatalog } from '../../runtime/catalog/loadModelCatalog.js';
import { selectProfile } from '../../runtime/catalog/selectProfile.js';
import type { PlacementPlan } from '../../runtime/placement/PlacementPlan.js';
import { planPlacement } from '../../runtime/placement/planPlacement.js';
import { simulateAppleSiliconMachine } from '../../runtime/placement/simulateAppleSiliconMachine.js';
import { CliUsageError } from '../CliUsageError.js';

const GIB = 1024 ** 3;
const UNITS: Record<string, number> = { '': GIB, g: GIB, gb: GIB, gib: GIB, t: 1024 * GIB, tb: 1024 * GIB, tib: 1024 * GIB, m: 1024 ** 2, mb: 1024 ** 2, mib: 1024 ** 2 };

/**
 * `nightshift models plan`: which models of a profile stay resident on this machine (or a simulated Mac
 * with `--memory`), with what contexts, what swaps and what cannot run. Exit code 1 when the plan is not
 * ok (a model cannot run, or a model meant to stay resident must swap).
 */
export function registerModelsPlanCommand(models: Command): void {
  models
    .command('plan')
    .description('plan which models stay resident in memory, with estimates and verdicts per role')
    .option('--memory <size>', 'plan for an Apple Silicon Mac with this much memory, e.g. 36GB (default: this machine)')
    .option('--profile <id>', 'use this profile instead of the largest tier that fits the memory')
    .option('--project <dir>', 'project whose nightshift.models.json overrides the catalog', '.')
    .option('--catalog <file>', 'base catalog instead of the shipped models.json')
    .option('--json', 'print JSON')
    .option('--data-dir <dir>', 'the data directory whose models.json holds your overrides (default: $NIGHTSHIFT_HOME, else ~/.nightshift)')
    .action(async (flags: { memory?: string; profile?: string; project: string; catalog?: string; json?: boolean; dataDir?: string }) => {
      const { detectMachine } = await import('../../runtime/placement/detectMachine.js');
      const { resolveProfileFacts } = await import('../../runtime/placement/resolveProfileFacts.js');
      const { resolveDataDir } = await import('../../engine/store/resolveDataDir.js');
      // The same overrides a session and the app read: the data directory's models.json, then the project's.
      const dataDir = resolveDataDir(flags.dataDir ? { explicit: flags.dataDir } : {});
      const projectDir = resolve(flags.project);
      if (!existsSync(projectDir)) throw new CliUsageError({ message: `The project directory ${flags.project} does not exist.`, hint: 'Check the --project path.' });
      const catalog = await loadModelCatalog({
        ...(flags.catalog ? { path: resolve(flags.catalog) } : {}),
        overrides: [join(dataDir, 'models.json'), join(projectDir, 'nightshift.models.json')],
      });
      const simulated = flags.memory !== undefined;
      const machine = simulated ? simulateAppleSiliconMachine({ memoryBytes: parseMemory(flags.memory!) }) : await detectMachine();
      const profile = selectProfile({ catalog, memoryBytes: machine.totalMemoryBytes, ...(flags.profile ? { profileId: flags.profile } : {}) });
      const facts = await resolveProfileFacts({ catalog, profile, baseDir: projectDir });
      const plan = planPlacement({ machine, profile, models: facts, catalog });
      if (!plan.ok) process.exitCode = 1;
      if (flags.json) {
        process.stdout.write(`${JSON.stringify({ machine: { ...machine, simulated }, profile: { id: profile.id, memoryGb: profile.memoryGb, description: profile.description }, plan }, null, 2)}\n`);
        return;
      }
      process.stdout.write(render(plan, { description: profile.description, memoryGb: profile.memoryGb, simulated, unified: machine.unified }));
    });
}

function parseMemory(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = match ? UNITS[match[2]!.toLowerCase()] : undefined;
  if (!match || unit === undefined || Number(match[1]) <= 0) {
    throw new CliUsageError({ message: `Cannot read --memory "${text}".`, hint: 'Give a size such as 16GB, 36GB or 128GB (a "GB" Mac has that many GiB).', context: { memory: text } });
  }
  return Math.round(Number(match[1]) * unit);
}

function render(plan: PlacementPlan, profile: { description: string; memoryGb: number; simulated: boolean; unified: boolean }): string {
  const lines: string[] = [];
  const memoryKind = profile.unified ? 'unified memory' : 'RAM';
  lines.push(`Profile ${plan.profileId} (${profile.memoryGb} GB tier): ${profile.description}`);
  lines.push(`Machine: ${gib(plan.totalMemoryBytes)} ${memoryKind}${profile.simulated ? ' (simulated Apple Silicon Mac)' : ''}`);
  lines.push(
    `Budget ${gib(plan.budgetBytes)} (${plan.limitedBy === 'metal-working-set' ? "Metal's working set" : `total minus ${gib(plan.reserveBytes)} reserved for the OS`}), ` +
      `resident ${gib(plan.residentBytes)}, headroom ${gib(plan.headroomBytes)}${plan.swapPeakBytes > 0 ? `, peak while swapping ${gib(plan.swapPeakBytes)}` : ''}`,
  );
  lines.push('');
  lines.push(table(
    ['ROLE', 'MODEL', 'CONTEXT', 'MINIMUM', 'KV CACHE', 'COMPUTE', 'VERDICT'],
    plan.roles.map((role) => [
      role.role,
      role.modelId,
      role.contextSize === role.requestedContext ? String(role.contextSize) : `${role.contextSize} (asked ${role.requestedContext})`,
      String(role.minimumContext),
      gib(role.kvCacheBytes),
      gib(role.computeBytes),
      role.verdict,
    ]),
  ));
  lines.push('');
  lines.push(table(
    ['LOAD', 'MODEL', 'ROLES', 'WEIGHTS', 'KV CACHE', 'COMPUTE', 'TOTAL', 'VERDICT'],
    plan.models.map((model, index) => [
      `${index + 1}${model.pinned ? ' pinned' : model.onDemand ? ' on demand' : ''}`,
      model.modelId,
      model.roles.join('+'),
      gib(model.weightsBytes),
      gib(model.kvCacheBytes),
      gib(model.computeBytes),
      gib(model.totalBytes),
      model.verdict,
    ]),
  ));
  const suggestions = [...plan.models.flatMap((model) => model.suggestions.map((suggestion) => `${model.modelId}: ${suggestion.message}`)), ...plan.suggestions.map((suggestion) => suggestion.message)];
  if (suggestions.length > 0) lines.push('', 'Suggestions:', ...suggestions.map((suggestion) => `  - ${suggestion}`));
  if (plan.warnings.length > 0) lines.push('', 'Warnings:', ...plan.warnings.map((warning) => `  ! ${warning}`));
  lines.push('', plan.ok ? 'OK: every resident model fits; on-demand models swap in when needed.' : 'NOT OK: see the verdicts and suggestions above.');
  return `${lines.join('\n')}\n`;
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  return [header, ...rows].map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()).join('\n');
}

function gib(bytes: number): string {
  return `${(bytes / GIB).toFixed(1)} GiB`;
}
