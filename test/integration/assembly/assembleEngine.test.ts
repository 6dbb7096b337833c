import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assembleEngine } from '../../../src/assembly/assembleEngine.js';
import { ModelsSpecError } from '../../../src/runtime/models/ModelsSpecError.js';
import type { ModelClient } from '../../../src/shared/model/ModelClient.js';
import { createPythonFixture } from '../../fixtures/createPythonFixture.js';
import { createMemoryStore } from '../../utils/createMemoryStore.js';
import { makeTempDir } from '../../utils/makeTempDir.js';
import { seedStore } from '../../utils/seedStore.js';

/** A client that answers nothing and says whether it was disposed. */
function idleModels(): ModelClient & { disposed: boolean } {
  const client = {
    disposed: false,
    generate: () => Promise.reject(new Error('no model in this test')),
    describe: () => ({ model: 'idle', backend: 'test' }),
    async dispose() {
      client.disposed = true;
    },
  };
  return client;
}

describe('assembleEngine', () => {
  it('lays out the data directory, opens its database at once, and dispose releases the models and the database', async () => {
    const dataDir = join(makeTempDir(), 'data');
    const models = idleModels();
    const assembled = await assembleEngine({ dataDir, models: { client: models }, sandbox: { preference: 'local', allowUnsandboxed: true } });
    expect(existsSync(join(dataDir, 'nightshift.db'))).toBe(true);
    expect(assembled).toMatchObject({
      dataDir,
      workspacesDir: join(dataDir, 'workspaces'),
      reportsDir: join(dataDir, 'reports'),
      locksDir: join(dataDir, 'locks'),
      models,
    });
    const { session } = seedStore({ store: assembled.store, taskIds: ['T1'] });
    expect(assembled.store.getSession(session.id)?.id).toBe(session.id);
    await assembled.dispose();
    expect(models.disposed).toBe(true);
    expect(() => assembled.store.getSession(session.id)).toThrow(/not open/);
  });

  it('with sqlite-on-first-use, a doctor run creates no database; the first read of the store opens it', async () => {
    const root = makeTempDir();
    const { repoDir } = createPythonFixture({ parent: root });
    const dataDir = join(root, 'data');
    const assembled = await assembleEngine({
      dataDir,
      models: { client: idleModels() },
      sandbox: { preference: 'local', allowUnsandboxed: true },
      store: 'sqlite-on-first-use',
    });
    const report = await assembled.engine.doctor({ projectDir: repoDir });
    expect(report.checks.map((check) => check.id)).toContain('sandbox');
    expect(existsSync(join(dataDir, 'nightshift.db'))).toBe(false);
    expect(assembled.store.listSessions()).toEqual([]);
    expect(existsSync(join(dataDir, 'nightshift.db'))).toBe(true);
    await assembled.dispose();
  });

  it('uses a given Store as it is and leaves it open', async () => {
    const store = createMemoryStore();
    const assembled = await assembleEngine({ dataDir: join(makeTempDir(), 'data'), models: { client: idleModels() }, store });
    expect(assembled.store).toBe(store);
    await assembled.dispose();
    expect(existsSync(join(assembled.dataDir, 'nightshift.db'))).toBe(false);
    expect(seedStore({ store }).taskRuns).toHaveLength(2);
  });

  it('builds the client from a models spec, and a bad spec fails before any engine exists', async () => {
    const root = makeTempDir();
    const { scriptPath } = createPythonFixture({ parent: root });
    const assembled = await assembleEngine({ dataDir: join(root, 'data'), models: { spec: `scripted:${scriptPath}`, cwd: root } });
    expect(assembled.models.describe('coder').backend).toMatch(/scripted/);
    await assembled.dispose();
    await expect(assembleEngine({ dataDir: join(root, 'other', 'data'), models: { spec: 'carrier-pigeon:1', cwd: root } })).rejects.toBeInstanceOf(ModelsSpecError);
  });
});
