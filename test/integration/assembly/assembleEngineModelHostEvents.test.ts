import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { z } from 'zod';
import { assembleEngine } from '../../../src/assembly/assembleEngine.js';
import type { ModelHostEvent } from '../../../src/runtime/host/ModelHost.js';
import { ModelHostCrashedError } from '../../../src/runtime/host/ModelHostCrashedError.js';
import { createTinyGguf } from '../../fixtures/createTinyGguf.js';
import { makeTempDir } from '../../utils/makeTempDir.js';
import { processExists, rejectionOf, waitFor } from '../../utils/modelHostTestKit.js';

const verdictSchema = z.object({ verdict: z.enum(['GO', 'NO_GO']), confident: z.boolean() });

describe('assembleEngine with local models', () => {
  it('relays the model process’s crash and the restart the next call brings through onModelHostEvent', async () => {
    const dir = makeTempDir('nightshift-assembled-host-');
    const model = createTinyGguf({ path: join(dir, 'tiny.gguf'), name: 'tiny-assembled' }).path;
    const events: ModelHostEvent[] = [];
    const assembled = await assembleEngine({
      dataDir: join(dir, 'data'),
      store: 'sqlite-on-first-use',
      models: { spec: `local:${model}`, cwd: dir, env: { NIGHTSHIFT_LLAMA_THREADS: '1' }, onModelHostEvent: (event) => events.push(event) },
    });
    onTestFinished(() => assembled.dispose());
    const review = (onToken?: () => void) =>
      assembled.models.generate({
        role: 'qa',
        promptId: 'review@1',
        system: 'You review changes and answer in JSON.',
        user: 'Review the change.',
        schema: verdictSchema,
        meta: { taskId: 'T1', phase: 'review', attempt: 1 },
        seed: 1,
        ...(onToken ? { onToken } : {}),
      });

    let pid: number | null = null;
    const crashed = await rejectionOf(
      review(() => {
        const ready = events.find((event) => event.type === 'ready');
        if (pid === null && ready?.type === 'ready') {
          pid = ready.pid;
          process.kill(pid, 'SIGKILL');
        }
      }),
    );
    expect(crashed).toBeInstanceOf(ModelHostCrashedError);
    expect(pid).not.toBeNull();
    expect(events.find((event) => event.type === 'crash')).toMatchObject({ type: 'crash', pid, signal: 'SIGKILL', inFlightCalls: 1, restarting: true });
    await waitFor(() => !processExists(pid!));

    const answered = await review();
    expect(verdictSchema.parse(answered.value)).toEqual(answered.value);
    expect(events.map((event) => event.type)).toEqual(['ready', 'crash', 'restart', 'ready']);
    expect(events[2]).toEqual({ type: 'restart', restarts: 1 });
  });
});
