import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { ModelOutputError } from '../../../../src/shared/model/ModelOutputError.js';
import { createModelClientFromBackend } from '../../../../src/shared/model/createModelClientFromBackend.js';
import { createModelHost } from '../../../../src/runtime/host/createModelHost.js';
import { forkModelHost } from '../../../../src/runtime/host/forkModelHost.js';
import type { ModelHostEvent } from '../../../../src/runtime/host/ModelHost.js';
import { ModelHostCrashedError } from '../../../../src/runtime/host/ModelHostCrashedError.js';
import { ModelHostInvalidMessageError } from '../../../../src/runtime/host/ModelHostInvalidMessageError.js';
import { ModelHostRemoteError } from '../../../../src/runtime/host/ModelHostRemoteError.js';
import { ModelHostUnavailableError } from '../../../../src/runtime/host/ModelHostUnavailableError.js';
import { ModelCallAbortedError } from '../../../../src/shared/model/ModelCallAbortedError.js';
import type { BackendSpec } from '../../../../src/shared/modelHostProtocol.js';
import type { ModelRole } from '../../../../src/shared/modelRole.js';
import { jsonRequest, modelRequest, processExists, rejectionOf, scriptedSpec, waitFor } from '../../../utils/modelHostTestKit.js';

const MISBEHAVING = fileURLToPath(new URL('../../../fixtures/misbehavingModelHost.ts', import.meta.url));

function hostFor(options: Omit<Parameters<typeof createModelHost>[0], 'spec'> & { spec?: BackendSpec; delayMs?: number } = {}) {
  const { delayMs, spec, ...rest } = options;
  const events: ModelHostEvent[] = [];
  const host = createModelHost({ spec: spec ?? scriptedSpec(delayMs === undefined ? {} : { delayMs }), onEvent: (event) => events.push(event), ...rest });
  onTestFinished(() => host.dispose());
  return { host, events };
}

describe('createModelHost', () => {
  it('runs calls in a child process and returns output the ModelClient validates', async () => {
    const { host, events } = hostFor();
    const client = createModelClientFromBackend({ backend: host });
    expect(host.pid()).toBeNull();

    const first = await client.generate(modelRequest('green'));
    expect(first.value).toEqual({ n: 1 });
    expect(first).toMatchObject({ model: 'scripted-coder-7b', backend: 'scripted', text: JSON.stringify({ n: 1 }, null, 2) });
    expect(first.usage.outputTokens).toBeGreaterThan(0);
    const pid = host.pid();
    expect(pid).toEqual(expect.any(Number));
    expect(pid).not.toBe(process.pid);
    expect(events).toEqual([{ type: 'ready', pid, startMs: expect.any(Number) }]);

    // The child keeps the script's per-task call count between calls.
    expect((await client.generate(modelRequest('green'))).value).toEqual({ n: 2 });
    expect(client.describe('coder')).toEqual({ model: 'scripted-coder-7b', backend: 'scripted' });
    expect(client.describe('qa')).toEqual({ model: 'scripted-qa', backend: 'scripted' });

    // Text that is not JSON crosses the boundary untouched and fails validation on this side.
    const bad = await rejectionOf(client.generate(modelRequest('red')));
    expect(bad).toBeInstanceOf(ModelOutputError);
    expect((bad as ModelOutputError).context.output).toBe('this is not JSON');
    expect(host.pid()).toBe(pid);
  });

  it('streams tokens across the boundary before the result', async () => {
    const { host } = hostFor({ delayMs: 5 });
    const tokens: string[] = [];
    const result = await host.generate(jsonRequest('plan'), { onToken: (text) => tokens.push(text) });
    expect(tokens.length).toBeGreaterThan(1);
    expect(tokens.join('')).toBe(result.text);
    expect(JSON.parse(result.text)).toEqual({ n: 100 });
    expect(result.usage.timeToFirstTokenMs).toEqual(expect.any(Number));
  });

  it('runs different roles at once and one role’s calls one after another', async () => {
    const { host } = hostFor({ delayMs: 30 });
    await host.start();
    const order: string[] = [];
    const call = (phase: 'plan' | 'green' | 'review', taskId: string) =>
      host.generate(jsonRequest(phase, taskId), { onToken: () => order.push(`${phase}:${taskId}`) });

    const results = await Promise.all([call('plan', 'T1'), call('green', 'T2'), call('green', 'T3'), call('review', 'T1')]);
    expect(results.map((result) => JSON.parse(result.text))).toEqual([{ n: 100 }, { n: 20 }, { n: 30 }, { n: 300 }]);

    const positions = (label: string) => order.flatMap((entry, index) => (entry === label ? [index] : []));
    const [plan, greenT2, greenT3, review] = ['plan:T1', 'green:T2', 'green:T3', 'review:T1'].map(positions) as [number[], number[], number[], number[]];
    // Roles overlap: the planner's tokens and the reviewer's are interleaved with the coder's.
    expect(plan[0]!).toBeLessThan(greenT2.at(-1)!);
    expect(review[0]!).toBeLessThan(greenT2.at(-1)!);
    // The coder's second call starts only after its first one ended.
    expect(greenT3[0]!).toBeGreaterThan(greenT2.at(-1)!);
  });

  it('cancels a call mid-generation in the child and keeps serving', async () => {
    const { host } = hostFor({ delayMs: 80 });
    await host.start();
    const controller = new AbortController();
    let tokens = 0;
    const call = host.generate(jsonRequest('green'), {
      signal: controller.signal,
      onToken: () => {
        tokens += 1;
        controller.abort();
      },
    });
    const error = await rejectionOf(call);
    expect(error).toBeInstanceOf(ModelCallAbortedError);
    expect((error as Error).name).toBe('AbortError');
    expect(tokens).toBe(1);

    // The child stopped the call too: it ends as failed, and no further tokens arrive.
    await waitFor(async () => (await host.stats())?.failedCalls === 1);
    expect(await host.stats()).toMatchObject({ activeCalls: 0, queuedCalls: 0, completedCalls: 0, failedCalls: 1 });
    expect(tokens).toBe(1);

    const already = new AbortController();
    already.abort();
    expect(await rejectionOf(host.generate(jsonRequest('green'), { signal: already.signal }))).toBeInstanceOf(ModelCallAbortedError);

    const started = performance.now();
    expect(JSON.parse((await host.generate(jsonRequest('green', 'T2'))).text)).toEqual({ n: 20 });
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('rejects a request the protocol does not allow with a typed error, and the child carries on', async () => {
    const { host } = hostFor();
    await host.start();
    const pid = host.pid();
    const error = await rejectionOf(host.generate({ ...jsonRequest('green'), role: 'janitor' as ModelRole }));
    expect(error).toBeInstanceOf(ModelHostInvalidMessageError);
    expect(error).toMatchObject({ code: 'MODEL_HOST_INVALID_MESSAGE', context: { messageType: 'generate' } });
    expect(String((error as ModelHostInvalidMessageError).context.problem)).toContain('request.role');
    expect(JSON.parse((await host.generate(jsonRequest('green'))).text)).toEqual({ n: 1 });
    expect(host.pid()).toBe(pid);
  });

  it('answers malformed and out-of-order messages on the raw channel with typed errors', async () => {
    const child = forkModelHost();
    onTestFinished(() => child.kill('SIGKILL'));
    const messages: unknown[] = [];
    child.onMessage((message) => messages.push(message));
    const next = async () => {
      const count = messages.length;
      await waitFor(() => messages.length > count);
      return messages.at(-1) as { type: string; callId?: string | null; error?: { code: string; name: string; context: Record<string, unknown> } };
    };

    const invalid = { code: 'MODEL_HOST_INVALID_MESSAGE', name: 'ModelHostInvalidMessageError' };
    (child.send as (message: unknown) => void)('hello');
    expect(await next()).toMatchObject({ type: 'error', callId: null, error: { ...invalid, context: { messageType: null } } });
    (child.send as (message: unknown) => void)({ type: 'explode' });
    expect(await next()).toMatchObject({ type: 'error', callId: null, error: { ...invalid, context: { messageType: 'explode' } } });
    child.send({ type: 'generate', callId: 'c1', request: jsonRequest('green') });
    expect(await next()).toMatchObject({ type: 'error', callId: 'c1', error: { ...invalid, context: { problem: expect.stringContaining('no backend yet') } } });

    child.send({ type: 'init', spec: scriptedSpec() });
    expect(await next()).toMatchObject({ type: 'ready', pid: child.pid });
    child.send({ type: 'generate', callId: 'c2', request: jsonRequest('green') });
    await waitFor(() => messages.some((message) => (message as { type: string }).type === 'result'));
    expect(messages.at(-1)).toMatchObject({ type: 'result', callId: 'c2' });
  });

  it('fails the in-flight call with ModelHostCrashedError when the child is killed, then restarts it', async () => {
    const { host, events } = hostFor({ delayMs: 100 });
    await host.start();
    const firstPid = host.pid()!;
    let killed = false;
    const call = host.generate(jsonRequest('green'), {
      onToken: () => {
        if (!killed) process.kill(firstPid, 'SIGKILL');
        killed = true;
      },
    });
    const error = await rejectionOf(call);
    expect(error).toBeInstanceOf(ModelHostCrashedError);
    expect(error).toMatchObject({
      code: 'MODEL_HOST_CRASHED',
      retryable: true,
      context: { role: 'coder', promptId: 'green@1', pid: firstPid, signal: 'SIGKILL', exitCode: null },
    });
    expect(events).toContainEqual({ type: 'crash', pid: firstPid, exitCode: null, signal: 'SIGKILL', inFlightCalls: 1, restarting: true });
    expect(host.pid()).toBeNull();
    expect(host.restarts()).toBe(0);

    const retried = await host.generate(jsonRequest('green'));
    expect(JSON.parse(retried.text)).toEqual({ n: 1 });
    expect(host.pid()).toEqual(expect.any(Number));
    expect(host.pid()).not.toBe(firstPid);
    expect(host.restarts()).toBe(1);
    expect(events).toContainEqual({ type: 'restart', restarts: 1 });
  });

  it('stops restarting after maxRestarts crashes within the window', async () => {
    const { host, events } = hostFor({ restart: { maxRestarts: 2, windowMs: 60_000 } });
    for (let round = 0; round < 3; round += 1) {
      await host.start();
      const pid = host.pid()!;
      process.kill(pid, 'SIGKILL');
      await waitFor(() => host.pid() === null);
    }
    expect(host.restarts()).toBe(2);
    expect(events.filter((event) => event.type === 'crash').map((event) => event.type === 'crash' && event.restarting)).toEqual([true, true, false]);
    const error = await rejectionOf(host.generate(jsonRequest('green')));
    expect(error).toBeInstanceOf(ModelHostUnavailableError);
    expect(error).toMatchObject({ code: 'MODEL_HOST_UNAVAILABLE', context: { restarts: 2, windowMs: 60_000, lastExit: 'signal SIGKILL' } });
    expect(host.pid()).toBeNull();
  });

  it('counts restarts over a sliding window', async () => {
    const { host } = hostFor({ restart: { maxRestarts: 1, windowMs: 10_000 } });
    const crash = async () => {
      await host.start();
      process.kill(host.pid()!, 'SIGKILL');
      await waitFor(() => host.pid() === null);
    };
    await crash();
    await crash();
    const restartedAt = Date.now();
    expect(await rejectionOf(host.generate(jsonRequest('green')))).toBeInstanceOf(ModelHostUnavailableError);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, restartedAt + 10_100 - Date.now())));
    expect(JSON.parse((await host.generate(jsonRequest('green'))).text)).toEqual({ n: 1 });
    expect(host.restarts()).toBe(2);
  });

  it('reports a backend that cannot be built as its own error, not a crash', async () => {
    const { host, events } = hostFor({ spec: { kind: 'scripted', scriptPath: '/nonexistent/script.json' } });
    const error = await rejectionOf(host.generate(jsonRequest('green')));
    expect(error).toBeInstanceOf(ModelHostRemoteError);
    expect(error).toMatchObject({ code: 'SCRIPT_INVALID', context: { path: '/nonexistent/script.json', remoteName: 'ScriptInvalidError' } });
    expect(events).toContainEqual(expect.objectContaining({ type: 'crash', exitCode: 1 }));
  });

  it('dispose shuts the child down, cancels its calls and leaves no process behind', async () => {
    const { host } = hostFor({ delayMs: 200 });
    await host.start();
    const pid = host.pid()!;
    const call = rejectionOf(host.generate(jsonRequest('green')));
    await host.dispose();
    expect(await call).toBeInstanceOf(ModelCallAbortedError);
    expect(processExists(pid)).toBe(false);
    expect(host.pid()).toBeNull();
    expect(await rejectionOf(host.generate(jsonRequest('green')))).toBeInstanceOf(ModelCallAbortedError);
  });

  it('dispose kills a child that does not exit in time', async () => {
    const { host } = hostFor({ shutdownTimeoutMs: 200 });
    await host.start();
    const pid = host.pid()!;
    process.kill(pid, 'SIGSTOP');
    const started = performance.now();
    await host.dispose();
    expect(performance.now() - started).toBeGreaterThanOrEqual(150);
    expect(processExists(pid)).toBe(false);
  });

  it('replaces a child that breaks the protocol', async () => {
    const spawn = () => forkModelHost({ entryPath: MISBEHAVING, env: { ...process.env, MISBEHAVE: 'garbage' } });
    const { host, events } = hostFor({ spawn });
    const error = await rejectionOf(host.generate(jsonRequest('green')));
    expect(error).toBeInstanceOf(ModelHostCrashedError);
    expect(String((error as ModelHostCrashedError).context.reason)).toContain('invalid message');
    expect(events.find((event) => event.type === 'protocol-error')).toMatchObject({ error: { code: 'MODEL_HOST_INVALID_MESSAGE' } });
  });

  it('reports the last words of a child that dies on its own', async () => {
    const { host } = hostFor({ spawn: () => forkModelHost({ entryPath: '/nonexistent/modelHostMain.js' }) });
    const error = await rejectionOf(host.generate(jsonRequest('green')));
    expect(error).toBeInstanceOf(ModelHostCrashedError);
    expect(error).toMatchObject({ context: { exitCode: 1, signal: null, role: 'coder', stderrTail: expect.stringContaining('Cannot find module') } });
  });

  it('kills a child whose backend is not ready in time', async () => {
    const spawn = () => forkModelHost({ entryPath: MISBEHAVING, env: { ...process.env, MISBEHAVE: 'silent' } });
    const { host } = hostFor({ spawn, startTimeoutMs: 1000 });
    const error = await rejectionOf(host.generate(jsonRequest('green')));
    expect(error).toBeInstanceOf(ModelHostCrashedError);
    expect(error).toMatchObject({ context: { signal: 'SIGKILL', reason: expect.stringContaining('not ready within 1000 ms') } });
  });
});

describe('the model process', () => {
  it('exits when its parent dies in the middle of a call', async () => {
    const parentScript = fileURLToPath(new URL('../../../fixtures/modelHostParent.ts', import.meta.url));
    const spec = scriptedSpec();
    if (spec.kind !== 'scripted') throw new Error('expected a scripted spec');
    const parent = spawn(process.execPath, ['--import', 'tsx', parentScript, spec.scriptPath, '30000'], { stdio: ['ignore', 'pipe', 'inherit'] });
    onTestFinished(() => {
      parent.kill('SIGKILL');
    });
    let output = '';
    parent.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await waitFor(() => output.includes('\n'), 60_000);
    const childPid = Number(output.trim());
    expect(processExists(childPid)).toBe(true);
    onTestFinished(() => {
      if (processExists(childPid)) process.kill(childPid, 'SIGKILL');
    });

    // The call would keep it busy for two minutes; losing its parent must end it at once.
    parent.kill('SIGKILL');
    await waitFor(() => !processExists(childPid), 20_000);
  });
});
