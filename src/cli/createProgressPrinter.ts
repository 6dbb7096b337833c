import type { EngineEvent } from '../shared/engineEventSchema.js';

/**
 * Renders engine events as a compact live log: one line per task, phase and decision, with the rails
 * that fired. Token events are shown only as a heartbeat on a TTY.
 */
export function createProgressPrinter(options: {
  /** Where lines go. */
  write: (text: string) => void;
  /** Whether the output is a terminal (enables colour and the token heartbeat). */
  tty: boolean;
}): (event: EngineEvent) => void {
  const paint = (code: string, text: string) => (options.tty ? `\u001b[${code}m${text}\u001b[0m` : text);
  const ok = paint('32', '✓');
  const bad = paint('31', '✗');
  let heartbeat = false;
  const line = (text: string) => {
    if (heartbeat) options.write('\r\u001b[K');
    heartbeat = false;
    options.write(`${text}\n`);
  };
  return (event) => {
    switch (event.type) {
      case 'session/started':
        line(`${paint('1', 'Nightshift')} session ${event.sessionId}${event.resumed ? ' (resumed)' : ''}: ${event.taskCount} task(s) -> ${event.branch}`);
        line(`  project ${event.projectPath}; sandbox ${event.sandbox}${event.isolated ? '' : paint('33', ' (UNSANDBOXED)')}`);
        break;
      case 'task/started':
        line(`\n${paint('1', `▶ ${event.taskId}`)} ${event.title} ${paint('2', `(run ${event.taskRunId})`)}`);
        break;
      case 'attempt/started':
        line(`  attempt ${event.attempt}/${event.maxAttempts}`);
        break;
      case 'phase/finished':
        line(`    ${event.ok ? ok : bad} ${event.phase.padEnd(7)} ${firstLine(event.detail)}`);
        break;
      case 'rail/result':
        if (!event.rail.passed && !event.rail.skipped) line(`      ${bad} rail ${event.rail.name}: ${firstLine(event.rail.detail)}`);
        break;
      case 'attempt/decided':
        line(`    → ${paint(event.decision === 'COMMIT' ? '32' : event.decision === 'RETRY' ? '33' : '31', event.decision)}${event.fingerprint ? ` [${event.failureType} ${event.fingerprint}]` : ''}: ${event.reason}`);
        break;
      case 'task/finished':
        line(`  ${event.status === 'done' ? ok : bad} ${event.taskId} ${event.status}: ${event.reason}`);
        break;
      case 'session/finished': {
        const counts = Object.entries(event.counts)
          .filter(([, count]) => count > 0)
          .map(([status, count]) => `${count} ${status}`)
          .join(', ');
        line(`\nSession ${event.sessionId} ${event.status}: ${counts || 'no tasks'}.`);
        line(`Branch ${event.branch}${event.headCommit ? ` at ${event.headCommit.slice(0, 12)}` : ' (no commits)'}.`);
        break;
      }
      case 'log':
        line(`${event.level === 'warn' ? paint('33', 'warning:') : event.level === 'error' ? paint('31', 'error:') : 'note:'} ${event.message}`);
        break;
      case 'model/token':
        if (options.tty) {
          options.write(`\r\u001b[K    … ${event.role} writing`);
          heartbeat = true;
        }
        break;
      case 'phase/started':
        break;
    }
  };
}

function firstLine(text: string): string {
  const first = text.split('\n').find((candidate) => candidate.trim()) ?? '';
  return first.length > 160 ? `${first.slice(0, 160)}…` : first;
}
