import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createModelClientFromBackend } from '../../../../src/shared/model/createModelClientFromBackend.js';
import { createOpenAiBackend } from '../../../../src/runtime/http/createOpenAiBackend.js';
import { createTinyGguf } from '../../../fixtures/createTinyGguf.js';
import { makeTempDir } from '../../../utils/makeTempDir.js';
import { CLI_BIN } from '../../../utils/runCli.js';

const children: ChildProcessWithoutNullStreams[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/** Starts `nightshift models serve` and resolves once it has printed its URL and token, or exited. */
async function startServe(args: string[]) {
  const child = spawn(process.execPath, [CLI_BIN, 'models', 'serve', ...args], { env: { ...process.env, NIGHTSHIFT_SERVE_TOKEN: '', NIGHTSHIFT_LLAMA_THREADS: '1' }, stdio: ['pipe', 'pipe', 'pipe'] });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  const ready = await new Promise<{ url: string; token: string } | null>((resolve) => {
    child.stdout.on('data', () => {
      const url = /Serving models at (\S+)/.exec(stdout)?.[1];
      const token = /^Token: (\S+)$/m.exec(stdout)?.[1];
      if (url && token) resolve({ url, token });
    });
    void exited.then(() => resolve(null));
  });
  return { child, ready, exited, output: () => ({ stdout, stderr }) };
}

const verdictSchema = z.object({ verdict: z.enum(['GO', 'NO_GO']), blocking: z.boolean() });

describe('nightshift models serve --models local:FILE', () => {
  it('serves a GGUF from the model host, constrained by the client’s schema, and stops on SIGTERM', async () => {
    const dir = makeTempDir('nightshift-serve-local-');
    const model = createTinyGguf({ path: join(dir, 'tiny-serve.gguf'), name: 'tiny-serve' }).path;
    const serve = await startServe(['--models', `local:${model}`, '--data-dir', join(dir, 'data')]);
    expect(serve.ready, serve.output().stderr).not.toBeNull();
    const { url, token } = serve.ready!;
    expect(serve.output().stdout).toContain('coder tiny-serve');

    const role = { baseUrl: url, model: 'tiny-serve', apiKey: token, maxTokens: 200 };
    const client = createModelClientFromBackend({ backend: createOpenAiBackend({ roles: { brain: role, coder: role, qa: role } }) });
    const tokens: string[] = [];
    const result = await client.generate({
      role: 'qa',
      promptId: 'qa-review@1',
      system: 'You review changes and answer in JSON.',
      user: 'Review the change.',
      schema: verdictSchema,
      meta: { taskId: 'T1', phase: 'review', attempt: 1 },
      seed: 5,
      onToken: (text) => tokens.push(text),
    });
    expect(verdictSchema.parse(result.value)).toEqual(result.value);
    expect(tokens.join('')).toBe(result.text);
    expect(result.usage.outputTokens).toBeGreaterThan(0);
    await client.dispose();

    serve.child.kill('SIGTERM');
    expect(await serve.exited).toBe(0);
    expect(serve.output().stdout).toContain('Stopped.');
  });

  it('refuses a model file that is not there with exit code 2, before serving', async () => {
    const dir = makeTempDir('nightshift-serve-local-');
    const serve = await startServe(['--models', `local:${join(dir, 'missing.gguf')}`, '--data-dir', join(dir, 'data')]);
    expect(serve.ready).toBeNull();
    expect(await serve.exited).toBe(2);
    expect(serve.output().stderr).toContain(`No model file at ${join(dir, 'missing.gguf')}`);
  });
});
