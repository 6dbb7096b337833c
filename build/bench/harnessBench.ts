/*
 * `npm run bench:harness [-- --sandbox docker|native] [--backlog expense|todo|readings|flask]`: how much of each
 * attempt's wall time is Nightshift's own (the harness), on a realistic backlog answered perfectly by the
 * scripted models (test/fixtures/backlogs/, default the five-task Python/pytest expense tracker), run by the
 * real engine in the Docker sandbox (the native sandbox when no Docker daemon answers, or when asked).
 * Everything is read back from the session's database, per attempt:
 *   wall     from the attempt's start to the end of its last phase (delivery comes after the decision);
 *   model    the model calls' recorded durations;
 *   commands the sandboxed commands' recorded durations (each `Sandbox.run`, sandbox bookkeeping included);
 *   harness  wall - model - commands: prompts, rails' own work, file I/O, git objects, the database.
 * Prints one row per attempt, the harness time per phase, and the overall harness/wall against the target
 * (<= 5%) as MET / NOT MET. Exits 0 whenever it measured: it is a benchmark; 1 only when it could not run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { TaskExplanation } from '../../src/engine/ports/Store.js';
import { createExpenseBacklog } from '../../test/fixtures/backlogs/createExpenseBacklog.js';
import { createFlaskNotesBacklog } from '../../test/fixtures/backlogs/createFlaskNotesBacklog.js';
import { createReadingsBacklog } from '../../test/fixtures/backlogs/createReadingsBacklog.js';
import { createTodoBacklog } from '../../test/fixtures/backlogs/createTodoBacklog.js';
import type { RealisticBacklog } from '../../test/fixtures/backlogs/RealisticBacklog.js';
import { createTestEngine } from '../../test/utils/createTestEngine.js';
import { findTestDocker } from '../../test/utils/findTestDocker.js';

/** Harness time over wall time, per attempt and overall, that issue 7 accepts. */
const TARGET_SHARE = 0.05;

const BACKLOGS: Record<string, (options: { parent: string }) => RealisticBacklog> = {
  expense: createExpenseBacklog,
  todo: createTodoBacklog,
  readings: createReadingsBacklog,
  flask: createFlaskNotesBacklog,
};

type Attempt = TaskExplanation['attempts'][number];

interface Split {
  wallMs: number;
  modelMs: number;
  commandMs: number;
  harnessMs: number;
}

const { values } = parseArgs({
  options: { sandbox: { type: 'string' }, backlog: { type: 'string', default: 'expense' } },
});
const create = BACKLOGS[values.backlog];
if (!create) fail(`unknown backlog "${values.backlog}"; one of ${Object.keys(BACKLOGS).join(', ')}`);
if (values.sandbox !== undefined && values.sandbox !== 'docker' && values.sandbox !== 'native') {
  fail(`--sandbox must be docker or native, not "${values.sandbox}"`);
}
const found = values.sandbox === undefined ? await findTestDocker() : null;
const sandbox: 'docker' | 'native' = (values.sandbox as 'docker' | 'native' | undefined) ?? (found?.docker ? 'docker' : 'native');
if (found && !found.docker) process.stdout.write(`No Docker daemon answers (${found.reason}); using the native sandbox.\n`);

const root = mkdtempSync(join(tmpdir(), 'nightshift-harness-bench-'));
try {
  const { repoDir, scriptPath, files } = create({ parent: root });
  const host = await createTestEngine({ dataDir: join(root, 'data'), scriptPath, sandbox });
  let explanations: TaskExplanation[];
  const started = performance.now();
  try {
    const outcome = await host.engine.runSession({ projectDir: repoDir });
    explanations = outcome.tasks.map((task) => host.store.explain(task.id)!);
  } finally {
    await host.dispose();
  }
  const sessionMs = performance.now() - started;
  report(explanations, Object.keys(files).length, sessionMs);
} finally {
  rmSync(root, { recursive: true, force: true });
}

function report(explanations: TaskExplanation[], taskCount: number, sessionMs: number): void {
  const rows: Array<{ label: string; split: Split }> = [];
  const byPhase = new Map<string, number>();
  for (const explanation of explanations) {
    for (const attempt of explanation.attempts) {
      if (attempt.endedAt === null) continue;
      rows.push({ label: `${explanation.taskRun.spec.id} #${attempt.number} ${attempt.decision}`, split: splitAttempt(attempt) });
      for (const [phase, ms] of harnessByPhase(attempt)) byPhase.set(phase, (byPhase.get(phase) ?? 0) + ms);
    }
  }
  const committedFirst = explanations.filter((explanation) => explanation.taskRun.status === 'done' && explanation.taskRun.attempts === 1).length;
  const out = (line: string) => process.stdout.write(`${line}\n`);
  out(`\nHarness bench: backlog "${values.backlog}" (${taskCount} tasks, perfect scripted answers), ${sandbox} sandbox`);
  out(`  ${committedFirst}/${taskCount} task(s) committed on the first attempt; session ${seconds(sessionMs)} s`);
  out(`\n  ${'attempt'.padEnd(18)} ${'wall s'.padStart(8)} ${'model s'.padStart(8)} ${'cmds s'.padStart(8)} ${'harness s'.padStart(9)} ${'harness/wall'.padStart(12)}`);
  for (const { label, split } of rows) out(`  ${label.padEnd(18)} ${cells(split)}`);
  const total = rows.reduce<Split>(
    (sum, { split }) => ({
      wallMs: sum.wallMs + split.wallMs,
      modelMs: sum.modelMs + split.modelMs,
      commandMs: sum.commandMs + split.commandMs,
      harnessMs: sum.harnessMs + split.harnessMs,
    }),
    { wallMs: 0, modelMs: 0, commandMs: 0, harnessMs: 0 },
  );
  out(`  ${'all attempts'.padEnd(18)} ${cells(total)}`);
  out('\n  harness time by phase (phase wall - its model calls - its commands; "between" is outside any phase):');
  for (const [phase, ms] of [...byPhase].sort((a, b) => b[1] - a[1])) out(`    ${phase.padEnd(8)} ${seconds(ms).padStart(8)} s`);

  const worst = rows.reduce((max, { split }) => Math.max(max, share(split)), 0);
  const overall = share(total);
  out(`\n${overall <= TARGET_SHARE ? 'MET' : 'NOT MET'}: harness/wall over all attempts ${percent(overall)} (target <= ${percent(TARGET_SHARE)})`);
  out(`${worst <= TARGET_SHARE ? 'MET' : 'NOT MET'}: worst attempt ${percent(worst)} (target <= ${percent(TARGET_SHARE)})`);
}

function splitAttempt(attempt: Attempt): Split {
  const wallMs = Math.max(attempt.endedAt ?? attempt.startedAt, ...attempt.phases.map((phase) => phase.endedAt)) - attempt.startedAt;
  const modelMs = attempt.modelCalls.reduce((sum, call) => sum + call.durationMs, 0);
  const commandMs = attempt.commands.reduce((sum, command) => sum + command.durationMs, 0);
  return { wallMs, modelMs, commandMs, harnessMs: wallMs - modelMs - commandMs };
}

/** Each phase's harness time; a model call belongs to the phase it started in, a command to its recorded phase. */
function harnessByPhase(attempt: Attempt): Map<string, number> {
  const result = new Map<string, number>();
  let inPhases = 0;
  for (const phase of attempt.phases) {
    const model = attempt.modelCalls
      .filter((call) => call.at >= phase.startedAt && call.at <= phase.endedAt)
      .reduce((sum, call) => sum + call.durationMs, 0);
    const commands = attempt.commands.filter((command) => command.phase === phase.phase).reduce((sum, command) => sum + command.durationMs, 0);
    const wall = phase.endedAt - phase.startedAt;
    inPhases += wall;
    result.set(phase.phase, (result.get(phase.phase) ?? 0) + wall - model - commands);
  }
  result.set('between', splitAttempt(attempt).wallMs - inPhases);
  return result;
}

function cells(split: Split): string {
  return [seconds(split.wallMs).padStart(8), seconds(split.modelMs).padStart(8), seconds(split.commandMs).padStart(8), seconds(split.harnessMs).padStart(9), percent(share(split)).padStart(12)].join(' ');
}

function share(split: Split): number {
  return split.wallMs > 0 ? split.harnessMs / split.wallMs : 0;
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(2);
}

function percent(fraction: number): string {
  return `${(100 * fraction).toFixed(1)}%`;
}

function fail(message: string): never {
  process.stderr.write(`bench:harness: ${message}\n`);
  process.exit(1);
}
