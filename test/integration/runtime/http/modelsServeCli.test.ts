import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createModelsFromSpec } from '../../../../src/runtime/models/createModelsFromSpec.js';
import type { ModelEndpointError } from '../../../../src/runtime/http/ModelEndpointError.js';
import type { ScriptedScript } from '../../../../src/runtime/scripted/scriptedScriptSchema.js';
import { reviewVerdictSchema } from '../../../../src/shared/reviewVerdictSchema.js';
import { makeTempDir } from '../../../utils/makeTempDir.js';
import { CLI_BIN } from '../../../utils/runCli.js';

const children: ChildProcessWithoutNullStreams[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/** Starts `nightshift models serve` and resolves once it has printed its URL and token. */
async function startServe(options: { args: string[]; env?: Record<string, string> }) {
  const child = spawn(process.execPath, [CLI_BIN, 'models', 'serve', ...options.args], {
    env: { ...process.env, NIGHTSHIFT_SERVE_TOKEN: '', ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  const ready = await new Promise<{ url: string; token: string } | null>((resolve) => {
    const check = () => {
      const url = /Serving models at (\S+)/.exec(stdout)?.[1];
      const token = /^Token: (\S+)$/m.exec(stdout)?.[1];
      if (url && token) resolve({ url, token });
    };
    child.stdout.on('data', check);
    void exited.then(() => resolve(null));
  });
  return { child, ready, exited, output: () => ({ stdout, stderr }) };
}

describe('nightshift models serve', () => {
  it('serves scripted models over HTTP with a printed token and stops cleanly on SIGTERM', async () => {
    const dir = makeTempDir();
    const verdict = { verdict: 'GO', quotedAsk: 'add sum', findings: [], summary: 'Looks right.' };
    const script: ScriptedScript = { models: { qa: 'reviewer-7b' }, tasks: { T1: { review: [verdict] } } };
    writeFileSync(join(dir, 'script.json'), JSON.stringify(script));
    const serve = await startServe({ args: ['--models', `scripted:${join(dir, 'script.json')}`, '--port', '0'] });
    expect(serve.ready, serve.output().stderr).not.toBeNull();
    const { url, token } = serve.ready!;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    expect(token).toMatch(/^ns-[A-Za-z0-9_-]{43}$/);
    expect(serve.output().stdout.split(token)).toHaveLength(2);
    expect(serve.output().stdout).toContain('qa    reviewer-7b');

    const client = await createModelsFromSpec({ spec: `openai:${url}#reviewer-7b`, cwd: dir, dataDir: dir, env: { NIGHTSHIFT_OPENAI_API_KEY: token } });
    const result = await client.generate({
      role: 'qa',
      promptId: 'qa-review@1',
      system: 'Review.',
      user: 'The diff.',
      schema: reviewVerdictSchema,
      meta: { taskId: 'T1', phase: 'review', attempt: 1 },
    });
    expect(result.value).toEqual(reviewVerdictSchema.parse(verdict));

    const wrongKey = await createModelsFromSpec({ spec: `openai:${url}#reviewer-7b`, cwd: dir, dataDir: dir, env: { NIGHTSHIFT_OPENAI_API_KEY: 'ns-wrong-token-of-some-length' } });
    const refused = await wrongKey.generate({ ...{ role: 'qa' as const, promptId: 'qa-review@1', system: '', user: '', schema: reviewVerdictSchema }, meta: { taskId: 'T1', phase: 'review', attempt: 1 } }).catch((error: unknown) => error);
    expect((refused as ModelEndpointError).status).toBe(401);
    await client.dispose();
    await wrongKey.dispose();

    serve.child.kill('SIGTERM');
    expect(await serve.exited).toBe(0);
    expect(serve.output().stdout).toContain('Stopped.');
    await expect(fetch(`${url}/models`)).rejects.toThrow();
  });

  it('takes the token from NIGHTSHIFT_SERVE_TOKEN, stops on SIGINT, and refuses bad input with exit 2', async () => {
    const dir = makeTempDir();
    writeFileSync(join(dir, 'script.json'), JSON.stringify({ tasks: {} }));
    const token = 'ns-from-the-environment-0123456789';
    const serve = await startServe({ args: ['--models', `scripted:${join(dir, 'script.json')}`], env: { NIGHTSHIFT_SERVE_TOKEN: token } });
    expect(serve.ready?.token).toBe(token);
    const models = await fetch(`${serve.ready!.url}/models`, { headers: { authorization: `Bearer ${token}` } });
    expect(((await models.json()) as { data: Array<{ id: string }> }).data.map((model) => model.id)).toEqual(['scripted-brain', 'scripted-coder', 'scripted-qa']);
    serve.child.kill('SIGINT');
    expect(await serve.exited).toBe(0);

    const weak = await startServe({ args: ['--models', `scripted:${join(dir, 'script.json')}`, '--token', 'abc'] });
    expect(weak.ready).toBeNull();
    expect(await weak.exited).toBe(2);
    expect(weak.output().stderr).toContain('at least 16');

    const unknown = await startServe({ args: ['--models', 'llama:/nowhere.gguf'] });
    expect(await unknown.exited).toBe(2);
    expect(unknown.output().stderr).toContain('Cannot serve the models "llama:/nowhere.gguf"');
  });
});
