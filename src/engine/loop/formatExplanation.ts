import type { CommandRecord, TaskExplanation } from '../ports/Store.js';

/** Characters of a command shown when it has no label. */
const COMMAND_CHARS = 60;

/** The explanation as text a person reads in the morning. */
export function formatExplanation(explanation: TaskExplanation): string {
  const { taskRun, session } = explanation;
  const out = [
    `Task run ${taskRun.id}: ${taskRun.spec.id} ${taskRun.spec.title}`,
    `Session ${session.id}, branch ${session.branch}`,
    `Status: ${taskRun.status}${taskRun.reason ? ` — ${taskRun.reason}` : ''}`,
  ];
  if (taskRun.commit) out.push(`Commit: ${taskRun.commit}`);
  for (const attempt of explanation.attempts) {
    out.push('', `Attempt ${attempt.number}: ${attempt.decision ?? 'unfinished'}${attempt.failureType ? ` (${attempt.failureType}, fingerprint ${attempt.fingerprint})` : ''}`);
    const time = splitTime(attempt);
    if (time) out.push(`  time: ${time}`);
    for (const phase of attempt.phases) out.push(`  ${phase.ok ? '✓' : '✗'} ${phase.phase.padEnd(7)} ${phase.detail.split('\n')[0] ?? ''}`);
    if (attempt.rails.length > 0) out.push('  rails:');
    for (const rail of attempt.rails) {
      const mark = rail.skipped ? '-' : rail.passed ? '✓' : '✗';
      const took = rail.durationMs === undefined ? '' : `(${formatDuration(rail.durationMs)}) `;
      out.push(`    ${mark} ${rail.name.padEnd(15)} ${took}${rail.detail.split('\n')[0] ?? ''}`);
    }
    if (attempt.commands.length > 0) out.push('  commands:');
    for (const command of attempt.commands) {
      out.push(`    ${formatDuration(command.durationMs).padStart(8)}  ${formatOutcome(command).padEnd(9)} ${describeCommand(command)}`);
    }
    for (const call of attempt.modelCalls) {
      out.push(`  model ${call.role} ${call.model} (${call.backend}) ${call.promptId}: ${call.promptTokens}+${call.outputTokens} tokens, ${call.durationMs} ms${call.error ? `, error: ${call.error}` : ''}`);
    }
  }
  if (explanation.audit) {
    const audit = explanation.audit;
    out.push('', `Audit: ${audit.status}, decision ${audit.decision ?? 'none'}, review ${audit.reviewVerdict ?? 'none'}${audit.askVerified === null ? '' : audit.askVerified ? ' (ask verified)' : ' (ask NOT verified)'}`);
    if (audit.filesChanged.length > 0) out.push(`  files: ${audit.filesChanged.join(', ')}`);
  }
  return `${out.join('\n')}\n`;
}

/**
 * Where an attempt's wall time went: model calls, sandboxed commands, and the harness (everything else:
 * rails' own work, file I/O, the database). The wall runs to the end of its last phase, since delivery
 * comes after the decision. Null while the attempt has not ended.
 */
function splitTime(attempt: TaskExplanation['attempts'][number]): string | null {
  if (attempt.endedAt === null) return null;
  const wall = Math.max(attempt.endedAt, ...attempt.phases.map((phase) => phase.endedAt)) - attempt.startedAt;
  const model = attempt.modelCalls.reduce((sum, call) => sum + call.durationMs, 0);
  const commands = attempt.commands.reduce((sum, command) => sum + command.durationMs, 0);
  const harness = wall - model - commands;
  const share = wall > 0 ? ` (${((100 * harness) / wall).toFixed(1)}% of wall)` : '';
  return `${formatDuration(wall)} wall = model ${formatDuration(model)} + commands ${formatDuration(commands)} + harness ${formatDuration(harness)}${share}`;
}

function describeCommand(command: CommandRecord): string {
  if (command.label !== null) return command.label;
  const text = command.command.replace(/\s+/g, ' ').trim();
  return text.length > COMMAND_CHARS ? `${text.slice(0, COMMAND_CHARS - 1)}…` : text;
}

function formatOutcome(command: CommandRecord): string {
  return command.outcome === 'exited' ? `exit ${command.exitCode ?? '?'}` : command.outcome;
}

/** Milliseconds below a second, else seconds with one decimal. */
function formatDuration(ms: number): string {
  return Math.abs(ms) < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}
