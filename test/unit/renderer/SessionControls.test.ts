import { describe, expect, it } from 'vitest';
import { SessionControls } from '../../../src/renderer/state/SessionControls.svelte.js';
import { NightshiftError } from '../../../src/shared/NightshiftError.js';
import type { SessionControlState } from '../../../src/shared/sessionControlStateSchema.js';
import { apiOverHost } from '../../utils/apiOverHost.js';
import { createProtocolHandler, type ProtocolHandler } from '../../utils/createProtocolHandler.js';
import { sampleControlState } from '../../utils/sampleControlState.js';

const CALCULATOR = '/home/dev/calculator';
const WEBSHOP = '/home/dev/webshop';

/** A supervisor that moves one project through its states the way the real one answers each message. */
function createSupervisorHost(): ProtocolHandler & { states: Map<string, SessionControlState> } {
  const states = new Map<string, SessionControlState>([[WEBSHOP, sampleControlState({ projectPath: WEBSHOP, overrides: { state: 'running', sessionId: 'p7x2mf' } })]]);
  let clock = Date.now();
  const move = (projectPath: string, overrides: Partial<SessionControlState>): SessionControlState => {
    const state = sampleControlState({ projectPath, overrides: { ...states.get(projectPath), ...overrides, updatedAt: ++clock } });
    states.set(projectPath, state);
    return state;
  };
  const handler = createProtocolHandler({
    handlers: {
      'session/control': () => [...states.values()],
      'session/start': ({ projectPath, startAt, settings }) => {
        if (settings?.models.startsWith('local:')) {
          throw new NightshiftError({
            code: 'MODEL_FILE_MISSING',
            message: 'The model file is not there.',
            hint: 'Download it first.',
            context: { field: 'settings.models', reason: `${settings.models.slice(6)} does not exist.` },
          });
        }
        if (settings?.maxTasks === 99) {
          throw new NightshiftError({ code: 'SESSION_RUNNING', message: 'A session of this project is already running.', hint: 'Stop it first.' });
        }
        return startAt ? move(projectPath, { state: 'scheduled', startsAt: clock + 3_600_000 }) : move(projectPath, { state: 'starting' });
      },
      'session/pause': ({ projectPath }) => move(projectPath, { state: 'pausing' }),
      'session/resume': ({ projectPath }) => move(projectPath, { state: 'running' }),
      'session/stop': ({ projectPath }) => move(projectPath, { state: 'stopping' }),
    },
  });
  return Object.assign(handler, { states });
}

async function openedOn(projectPath: string): Promise<{ host: ReturnType<typeof createSupervisorHost>; controls: SessionControls }> {
  const host = createSupervisorHost();
  const controls = new SessionControls({ api: apiOverHost({ host }) });
  await controls.load();
  controls.open({ projectPath, settings: { models: 'scripted:demo.json', profile: null, sandbox: 'docker', allowUnsandboxed: false, maxTasks: 3, maxAttempts: 2, mode: 'branch', targetBranch: null, allowFailingBaseline: false } });
  return { host, controls };
}

describe('SessionControls', () => {
  it('prefills the form from the project’s saved settings', async () => {
    const { controls } = await openedOn(CALCULATOR);
    expect(controls.settings.draft).toMatchObject({ modelKind: 'scripted', scriptedPath: 'demo.json', sandbox: 'docker', maxTasks: '3', maxAttempts: '2' });
    expect(controls.current).toBeNull();
    expect(controls.canStart).toBe(true);
  });

  it('keeps the user’s edits when the same saved settings arrive again, and refills on new ones', async () => {
    const { controls } = await openedOn(CALCULATOR);
    const saved = { models: 'local', profile: null, sandbox: null, allowUnsandboxed: false, maxTasks: null, maxAttempts: null, mode: 'branch', targetBranch: null, allowFailingBaseline: false } as const;
    controls.open({ projectPath: CALCULATOR, settings: saved });
    controls.settings.draft.maxTasks = '7';
    controls.open({ projectPath: CALCULATOR, settings: { ...saved } });
    expect(controls.settings.draft.maxTasks).toBe('7');
    controls.open({ projectPath: CALCULATOR, settings: { ...saved, maxTasks: 2 } });
    expect(controls.settings.draft.maxTasks).toBe('2');
  });

  it('starts now with the form’s settings and follows the state', async () => {
    const { host, controls } = await openedOn(CALCULATOR);
    expect(await controls.start()).toBe(true);
    expect(host.requests.at(-1)).toEqual({
      name: 'session/start',
      request: {
        projectPath: CALCULATOR,
        settings: { models: 'scripted:demo.json', profile: null, sandbox: 'docker', allowUnsandboxed: false, maxTasks: 3, maxAttempts: 2, mode: 'branch', targetBranch: null, allowFailingBaseline: false },
        resume: true,
        again: false,
      },
    });
    expect(controls.current?.state).toBe('starting');
    expect(controls.canStart).toBe(false);
    expect(controls.canPause).toBe(true);
    expect(host.rejected).toEqual([]);
  });

  it('schedules a session between two times', async () => {
    const { host, controls } = await openedOn(CALCULATOR);
    controls.schedule = { when: 'later', startAt: '23:00', until: '07:00', resume: true, again: true };
    expect(await controls.start()).toBe(true);
    expect(host.requests.at(-1)?.request).toMatchObject({ startAt: '23:00', until: '07:00', again: true });
    expect(controls.current?.state).toBe('scheduled');
    expect(controls.summary.label).toMatch(/^scheduled for \d\d:\d\d$/);
    expect(controls.canStop).toBe(true);
  });

  it('refuses a time that is not HH:MM next to its field without asking the host', async () => {
    const { host, controls } = await openedOn(CALCULATOR);
    controls.schedule = { when: 'later', startAt: '11pm', until: '25:00', resume: true, again: false };
    const sent = host.requests.length;
    expect(await controls.start()).toBe(false);
    expect(host.requests).toHaveLength(sent);
    expect(controls.scheduleErrors.startAt).toMatch(/HH:MM/);
    expect(controls.scheduleErrors.until).toMatch(/HH:MM/);
  });

  it('puts the host’s refusal of the models next to the models field', async () => {
    const { controls } = await openedOn(CALCULATOR);
    controls.settings.draft.modelKind = 'gguf';
    controls.settings.draft.ggufPath = '/models/coder.gguf';
    expect(await controls.start()).toBe(false);
    expect(controls.settings.fieldErrors.models).toBe('/models/coder.gguf does not exist. Download it first.');
    expect(controls.error).toBeNull();
  });

  it('shows a refusal that names no field in the banner', async () => {
    const { controls } = await openedOn(CALCULATOR);
    controls.settings.draft.maxTasks = '99';
    expect(await controls.start()).toBe(false);
    expect(controls.error).toMatchObject({ code: 'SESSION_RUNNING', hint: 'Stop it first.' });
    controls.dismissError();
    expect(controls.error).toBeNull();
  });

  it('pauses, resumes and stops, following pushed control/state events', async () => {
    const { controls } = await openedOn(CALCULATOR);
    await controls.start();
    const running = sampleControlState({
      projectPath: CALCULATOR,
      overrides: { state: 'running', sessionId: 'k3v9qa', task: { index: 2, total: 5, taskRunId: 12, taskId: 'T2', title: 'Handle division by zero' }, updatedAt: Date.now() + 10_000 },
    });
    controls.handleEvent({ type: 'control/state', at: Date.now(), state: running });
    expect(controls.summary).toEqual({ label: 'running task 2 of 5', tone: 'run', projectPath: CALCULATOR });
    expect(await controls.pause()).toBe(true);
    // The pushed state is newer than the pause's answer, which the host stamped earlier: it stays.
    expect(controls.current?.state).toBe('running');
    controls.handleEvent({ type: 'control/state', at: Date.now(), state: { ...running, state: 'paused', task: null, updatedAt: running.updatedAt + 1 } });
    expect(controls.canResume).toBe(true);
    expect(controls.summary.label).toBe('paused');
    controls.handleEvent({ type: 'control/state', at: Date.now(), state: { ...running, state: 'idle', engineRestarts: 2, updatedAt: running.updatedAt + 2 } });
    expect(controls.canStart).toBe(true);
  });

  it('shows another project’s running session in the summary while the current one is idle', async () => {
    const { controls } = await openedOn(CALCULATOR);
    expect(controls.summary).toEqual({ label: 'running', tone: 'run', projectPath: WEBSHOP });
    controls.open({ projectPath: WEBSHOP, settings: null });
    expect(controls.canPause).toBe(true);
    expect(await controls.stop()).toBe(true);
    expect(controls.summary.label).toBe('stopping after this step…');
  });

  it('reads an idle state with an error as stopped with an error', async () => {
    const { controls } = await openedOn(CALCULATOR);
    controls.handleEvent({
      type: 'control/state',
      at: Date.now(),
      state: sampleControlState({
        projectPath: WEBSHOP,
        overrides: { error: { name: 'EngineCrashedError', code: 'ENGINE_CRASHED', message: 'The engine crashed 3 times.', hint: 'See the log.', context: {} }, updatedAt: Date.now() + 10_000 },
      }),
    });
    expect(controls.summary.tone).toBe('muted');
    controls.open({ projectPath: WEBSHOP, settings: null });
    expect(controls.summary).toEqual({ label: 'stopped with an error', tone: 'err', projectPath: WEBSHOP });
  });
});
