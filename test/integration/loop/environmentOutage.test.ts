import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../../src/engine/createEngine.js';
import type { Clock } from '../../../src/engine/ports/Clock.js';
import type { ModelClient } from '../../../src/shared/model/ModelClient.js';
import type { Sandbox } from '../../../src/shared/sandbox/Sandbox.js';
import { MODEL_PROBE } from '../../../src/shared/model/MODEL_PROBE.js';
import { createPromptLibrary } from '../../../src/engine/prompts/createPromptLibrary.js';
import { createSandboxFactory } from '../../../src/sandbox/createSandboxFactory.js';
import { createSqliteStore } from '../../../src/engine/store/createSqliteStore.js';
import { openDataDir } from '../../../src/engine/store/openDataDir.js';
import { createGitVcs } from '../../../src/engine/vcs/createGitVcs.js';
import { ModelEndpointUnreachableError } from '../../../src/runtime/http/ModelEndpointUnreachableError.js';
import { loadScriptedModels } from '../../../src/runtime/scripted/loadScriptedModels.js';
import { createModelClientFromBackend } from '../../../src/shared/model/createModelClientFromBackend.js';
import type { EngineEvent } from '../../../src/shared/engineEventSchema.js';
import { createPythonFixture } from '../../fixtures/createPythonFixture.js';
import { makeTempDir } from '../../utils/makeTempDir.js';

/** What the fake outage controls: whether the model endpoint / the sandbox answer right now. */
interface Outage {
  modelDown: boolean;
  sandboxDown: boolean;
}

/** A clock whose pauses only move time forward, and call `onSleep` so a test can end an outage. */
function fakeClock(onSleep: (sleeps: number) => void): Clock & { sleeps: number[] } {
  let now = Date.UTC(2026, 0, 1, 22);
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => (now += 1),
    async sleep({ ms }) {
      sleeps.push(ms);
      now += ms;
      onSleep(sleeps.length);
    },
  };
}

/** The scripted backend behind an endpoint that refuses connections while `outage.modelDown`, as an unreachable server would. */
function flakyModels(inner: ModelClient, outage: Outage, downAtPhase: { phase: string; done: boolean }): ModelClient {
  return {
    async generate(request) {
      // The preflight's probes come first and pass; the outage starts at a task's call.
      if (!downAtPhase.done && request.meta.phase === downAtPhase.phase && request.meta.taskId !== MODEL_PROBE.taskId) {
        downAtPhase.done = true;
        outage.modelDown = true;
      }
      if (outage.modelDown) throw new ModelEndpointUnreachableError({ url: 'http://127.0.0.1:9/v1/chat/completions', reason: 'ECONNREFUSED' });
      return inner.generate(request);
    },
    describe: (role) => inner.describe(role),
    dispose: () => inner.dispose(),
  };
}

/** The local runner, failing every command to start while `outage.sandboxDown`, as a stopped container does. */
function flakySandbox(inner: Sandbox, outage: Outage, created: { count: number }): Sandbox {
  created.count += 1;
  return {
    kind: inner.kind,
    isolated: inner.isolated,
    async run(options) {
      if (outage.sandboxDown) {
        return { outcome: 'spawn-error', exitCode: null, signal: null, stdout: '', stderr: 'docker exec failed: connect ENOENT /var/run/docker.sock', truncated: false, durationMs: 1 };
      }
      return inner.run(options);
    },
    dispose: () => inner.dispose(),
  };
}

async function setup(options: { endOutageAfterSleeps: number | null; failSandboxAtLabel?: string; failModelAtPhase?: string }) {
  const root = makeTempDir();
  const { repoDir, scriptPath } = createPythonFixture({ parent: root });
  const dirs = openDataDir({ dir: join(root, 'data') });
  const store = createSqliteStore({ path: dirs.dbPath });
  const outage: Outage = { modelDown: false, sandboxDown: false };
  const clock = fakeClock((sleeps) => {
    if (options.endOutageAfterSleeps !== null && sleeps >= options.endOutageAfterSleeps) {
      outage.modelDown = false;
      outage.sandboxDown = false;
    }
  });
  const created = { count: 0 };
  const local = createSandboxFactory({ preference: 'local', allowUnsandboxed: true });
  let sandboxFailed = false;
  const engine = createEngine({
    models: flakyModels(createModelClientFromBackend({ backend: await loadScriptedModels({ path: scriptPath }) }), outage, { phase: options.failModelAtPhase ?? '', done: !options.failModelAtPhase }),
    store,
    createSandbox: async (factoryOptions) => {
      const sandbox = flakySandbox(await local(factoryOptions), outage, created);
      if (!options.failSandboxAtLabel) return sandbox;
      return {
        ...sandbox,
        kind: sandbox.kind,
        isolated: sandbox.isolated,
        run(runOptions) {
          if (!sandboxFailed && runOptions.label === options.failSandboxAtLabel) {
            sandboxFailed = true;
            outage.sandboxDown = true;
          }
          return sandbox.run(runOptions);
        },
      };
    },
    vcs: createGitVcs(),
    clock,
    prompts: createPromptLibrary(),
    workspacesDir: dirs.workspacesDir,
    reportsDir: dirs.reportsDir,
  });
  const events: EngineEvent[] = [];
  const run = () => engine.runSession({ projectDir: repoDir, maxTasks: 1, onEvent: (event) => events.push(event) });
  const attempts = (taskRunId: number) => store.listAttempts(taskRunId).map((attempt) => attempt.decision);
  return { engine, store, clock, events, run, attempts, created, dirs, dispose: async () => (await engine.dispose(), store.dispose()) };
}

describe('environment failures mid-session are not model failures', () => {
  it('an unreachable model endpoint blocks the session, the clock-driven re-checks see it back, and the task is delivered with its budget intact', async () => {
    const host = await setup({ endOutageAfterSleeps: 3, failModelAtPhase: 'red' });
    try {
      const outcome = await host.run();
      const t1 = outcome.tasks.find((task) => task.spec.id === 'T1')!;
      expect(t1.status).toBe('done');
      expect(host.attempts(t1.id)).toEqual(['INTERRUPTED', 'COMMIT']);
      expect(host.store.explain(t1.id)!.failures).toEqual([]);
      // The interrupted attempt does not count: attempt 2 of 7 with maxAttempts 6.
      expect(host.events.filter((event) => event.type === 'attempt/started').map((event) => (event.type === 'attempt/started' ? [event.attempt, event.maxAttempts] : []))).toEqual([
        [1, 6],
        [2, 7],
      ]);
      expect(host.clock.sleeps).toEqual([15_000, 30_000, 60_000]);
      const logs = host.events.flatMap((event) => (event.type === 'log' ? [event.message] : []));
      expect(logs.some((message) => /^Session blocked by the environment \(model\): Cannot reach the model endpoint http:\/\/127\.0\.0\.1:9\/v1/.test(message))).toBe(true);
      expect(logs.some((message) => /^The environment is back after/.test(message))).toBe(true);
      expect(outcome.session.status).toBe('stopped');
      expect(outcome.blocked).toBeUndefined();
    } finally {
      await host.dispose();
    }
  }, 180_000);

  it('a sandbox that stops running commands (the daemon gone) is restarted once it answers again, and the task goes on', async () => {
    const host = await setup({ endOutageAfterSleeps: 2, failSandboxAtLabel: 'red' });
    try {
      const outcome = await host.run();
      const t1 = outcome.tasks.find((task) => task.spec.id === 'T1')!;
      expect(t1.status).toBe('done');
      expect(host.attempts(t1.id)).toEqual(['INTERRUPTED', 'COMMIT']);
      expect(host.store.listAttempts(t1.id)[0]!.feedback).toMatch(/sandbox runs commands failed/);
      expect(host.created.count).toBeGreaterThan(1);
      expect(host.clock.sleeps).toEqual([15_000, 30_000]);
    } finally {
      await host.dispose();
    }
  }, 180_000);

  it('gives up when the environment stays down past the wait: the session ends blocked with a report, the task stays queued, nothing deadlocks', async () => {
    const host = await setup({ endOutageAfterSleeps: null, failModelAtPhase: 'plan' });
    try {
      const outcome = await host.run();
      const t1 = outcome.tasks.find((task) => task.spec.id === 'T1')!;
      expect(t1.status).toBe('queued');
      expect(host.attempts(t1.id)).toEqual(['INTERRUPTED']);
      expect(outcome.session.status).toBe('blocked');
      expect(outcome.session.reason).toMatch(/^blocked by the environment \(model\): Cannot reach the model endpoint http:\/\/127\.0\.0\.1:9\/v1\/chat\/completions \(ECONNREFUSED\)\. Fix: Start the model server/);
      // 30 minutes of doubling pauses, capped at 5 minutes, on the injected clock (which ticks 1 ms per read).
      const waited = host.clock.sleeps.reduce((sum, ms) => sum + ms, 0);
      expect(waited).toBeLessThanOrEqual(30 * 60_000);
      expect(waited).toBeGreaterThan(30 * 60_000 - 1000);
      expect(host.clock.sleeps.slice(0, 6)).toEqual([15_000, 30_000, 60_000, 120_000, 240_000, 300_000]);
      expect(outcome.blocked?.report).toBeTruthy();
      const report = readFileSync(outcome.blocked!.report!, 'utf8');
      expect(report).toContain('# Blocked: session');
      expect(report).toContain('Cannot reach the model endpoint');
      expect(report).toContain('- T1 Add a divide function');
      expect(host.events.at(-1)).toMatchObject({ type: 'session/finished', status: 'blocked' });
      expect(host.events.some((event) => event.type === 'attempt/decided' && event.decision === 'DEADLOCK')).toBe(false);
      expect(existsSync(join(host.dirs.reportsDir, outcome.session.id, `${t1.id}-T1.md`))).toBe(false);
    } finally {
      await host.dispose();
    }
  }, 180_000);
});
