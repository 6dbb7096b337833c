import { describe, expect, it } from 'vitest';
import { EventLog } from '../../../src/renderer/state/EventLog.svelte.js';
import type { EngineEvent } from '../../../src/shared/engineEventSchema.js';

function download(at: number, overrides: Partial<Extract<EngineEvent, { type: 'models/download' }>>): EngineEvent {
  return { type: 'models/download', at, modelId: 'tiny', state: 'running', receivedBytes: 0, totalBytes: 1000, bytesPerSecond: 0, secondsLeft: null, error: null, ...overrides };
}

describe('EventLog', () => {
  it('keeps one entry per download run, showing its latest report, and a new one after another event', () => {
    const log = new EventLog();
    log.push(download(1, { receivedBytes: 100 }));
    log.push(download(2, { receivedBytes: 500 }));
    log.push(download(3, { state: 'paused', receivedBytes: 600 }));
    expect(log.entries.map(({ at, level, text }) => ({ at, level, text }))).toEqual([{ at: 3, level: 'warn', text: 'Download of model tiny paused (60%)' }]);

    log.push(download(4, { modelId: 'other' }));
    log.push({ type: 'log', at: 5, level: 'info', message: 'hello' });
    log.push(download(6, { state: 'failed', error: { code: 'MODEL_SOURCE_OFFLINE', message: 'No network.', hint: 'Import.' } }));
    expect(log.entries.map((entry) => entry.text)).toEqual([
      'Download of model tiny paused (60%)',
      'Downloading model other (0%)',
      'hello',
      'Download of model tiny failed: No network.',
    ]);
    expect(log.entries.at(-1)?.level).toBe('error');
  });

  it('folds a streaming model answer into one line per task and role, whitespace collapsed', () => {
    const log = new EventLog();
    const token = (at: number, text: string, role: 'coder' | 'qa' = 'coder'): EngineEvent => ({ type: 'model/token', at, taskRunId: 7, role, text });
    log.push(token(1, '{\n  "edits": [\n'));
    log.push(token(2, '    { "kind": "write" }\n  ]\n}'));
    log.push(token(3, 'GO', 'qa'));
    expect(log.entries.map((entry) => entry.text)).toEqual(['#7 coder: { "edits": [ { "kind": "write" } ] }', '#7 qa: GO']);
  });
});
