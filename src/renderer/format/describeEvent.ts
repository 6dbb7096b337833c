import type { EngineEvent } from '../../shared/engineEventSchema.js';

export type EventLevel = 'info' | 'ok' | 'warn' | 'error';

/** One engine event as one line of the live log. */
export function describeEvent(options: {
  event: EngineEvent;
}): { level: EventLevel; text: string } {
  const event = options.event;
  switch (event.type) {
    case 'session/started':
      return {
        level: event.isolated ? 'info' : 'warn',
        text:
          `Session ${event.sessionId} ${event.resumed ? 'resumed' : 'started'} on ${event.branch}: ` +
          `${plural(event.taskCount, 'task')}, sandbox ${event.sandbox}${event.isolated ? '' : ' (not isolated)'}`,
      };
    case 'task/started':
      return { level: 'info', text: `Task ${event.taskId} started: ${event.title}` };
    case 'attempt/started':
      return { level: 'info', text: `#${event.taskRunId} attempt ${event.attempt} of ${event.maxAttempts}` };
    case 'phase/started':
      return { level: 'info', text: `#${event.taskRunId} ${event.phase}…` };
    case 'phase/finished':
      return {
        level: event.ok ? 'info' : 'warn',
        text: `#${event.taskRunId} ${event.phase} ${event.ok ? 'ok' : 'failed'}${suffix(event.detail)}`,
      };
    case 'rail/result': {
      const verdict = event.rail.passed ? 'passed' : event.rail.skipped ? 'skipped' : 'failed';
      return {
        level: event.rail.passed || event.rail.skipped ? 'info' : 'warn',
        text: `#${event.taskRunId} rail ${event.rail.name} ${verdict}${suffix(event.rail.detail)}`,
      };
    }
    case 'model/token':
      return { level: 'info', text: `#${event.taskRunId} ${event.role}: ${event.text.replace(/\s+/g, ' ')}` };
    case 'command/finished': {
      const ended = event.outcome === 'exited' ? `exit ${event.exitCode ?? '?'}` : event.outcome;
      return {
        level: 'info',
        text: `${event.taskRunId === undefined ? '' : `#${event.taskRunId} `}command ${event.label ?? event.command.slice(0, 60)}: ${event.durationMs} ms, ${ended}`,
      };
    }
    case 'attempt/decided':
      return {
        level: event.decision === 'COMMIT' ? 'ok' : event.decision === 'RETRY' ? 'warn' : 'error',
        text:
          `#${event.taskRunId} attempt ${event.attempt}: ${event.decision}` +
          `${event.failureType ? ` (${event.failureType})` : ''}${suffix(event.reason)}`,
      };
    case 'task/finished':
      return {
        level: event.status === 'done' ? 'ok' : event.status === 'skipped' ? 'warn' : 'error',
        text:
          `Task ${event.taskId} ${event.status}${event.commit ? ` at ${event.commit.slice(0, 8)}` : ''}` +
          suffix(event.reason),
      };
    case 'session/finished': {
      const counts = Object.entries(event.counts)
        .filter(([, count]) => count > 0)
        .map(([status, count]) => `${count} ${status}`)
        .join(', ');
      return {
        level: event.status === 'completed' ? 'ok' : event.status === 'stopped' ? 'warn' : 'error',
        text: `Session ${event.sessionId} ${event.status}${counts ? `: ${counts}` : ''}`,
      };
    }
    case 'attempt/diff':
      return { level: 'info', text: `#${event.taskRunId} attempt ${event.attempt}: change written (${plural(changedLines(event.diff), 'changed line')})` };
    case 'process/crashed':
      return {
        level: 'error',
        text: `The ${event.process === 'engine' ? 'engine' : 'model host'} process stopped unexpectedly${event.signal ? ` (${event.signal})` : event.exitCode !== null ? ` (exit ${event.exitCode})` : ''}${event.restarting ? '; restarting it' : ''}${suffix(event.detail)}`,
      };
    case 'process/restarted':
      return { level: 'ok', text: `The ${event.process === 'engine' ? 'engine' : 'model host'} process is back${event.sessionId ? `; session ${event.sessionId} resumes` : ''}` };
    case 'control/state':
      return { level: event.state.error ? 'error' : 'info', text: `Session control: ${event.state.state}${event.state.error ? `: ${event.state.error.message}` : ''}` };
    case 'models/download': {
      const done = event.totalBytes ? ` (${Math.floor((100 * event.receivedBytes) / event.totalBytes)}%)` : '';
      const texts = {
        running: `Downloading model ${event.modelId}${done}`,
        paused: `Download of model ${event.modelId} paused${done}`,
        done: `Model ${event.modelId} downloaded`,
        failed: `Download of model ${event.modelId} failed${event.error ? `: ${event.error.message}` : ''}`,
        cancelled: `Download of model ${event.modelId} cancelled`,
      } as const;
      const levels = { running: 'info', paused: 'warn', done: 'ok', failed: 'error', cancelled: 'warn' } as const;
      return { level: levels[event.state], text: texts[event.state] };
    }
    case 'models/try-token':
      return { level: 'info', text: `Try ${event.tryId}: ${event.text}` };
    case 'models/try-finished':
      return {
        level: 'ok',
        text:
          `Try on ${event.modelId} (${event.role}): ${plural(event.outputTokens, 'token')}` +
          `${event.tokensPerSecond === null ? '' : ` at ${event.tokensPerSecond.toFixed(1)} tokens/s`}` +
          `${event.timeToFirstTokenMs === null ? '' : `, first after ${Math.round(event.timeToFirstTokenMs)} ms`}`,
      };
    case 'log':
      return { level: event.level, text: event.message };
  }
}

function changedLines(diff: string): number {
  return diff.split('\n').filter((line) => /^[+-](?![+-]{2} )/.test(line)).length;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** The first line of a detail, after a colon; details can be whole command outputs. */
function suffix(detail: string): string {
  const line = detail.trim().split('\n', 1)[0] ?? '';
  return line ? `: ${line.length > 200 ? `${line.slice(0, 199)}…` : line}` : '';
}
