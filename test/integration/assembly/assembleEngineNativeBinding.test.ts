import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assembleEngine } from '../../../src/assembly/assembleEngine.js';
import { StoreUnavailableError } from '../../../src/engine/store/StoreUnavailableError.js';
import type { ModelClient } from '../../../src/shared/model/ModelClient.js';
import { makeTempDir } from '../../utils/makeTempDir.js';
import { rejectionOf } from '../../utils/modelHostTestKit.js';

/** The addon npm built for this Node, which the app's Electron build replaces with its own. */
const NODE_ADDON = join(createRequire(import.meta.url).resolve('better-sqlite3/package.json'), '..', 'build', 'Release', 'better_sqlite3.node');

const idleModels = (): ModelClient => ({
  generate: () => Promise.reject(new Error('no model in this test')),
  describe: () => ({ model: 'idle', backend: 'test' }),
  dispose: async () => {},
});

describe('assembleEngine with a nativeBinding', () => {
  it('opens the database with the addon at the given path', async () => {
    const dir = makeTempDir();
    const addon = join(dir, 'electron-addon', 'better_sqlite3.node');
    mkdirSync(join(dir, 'electron-addon'));
    copyFileSync(NODE_ADDON, addon);
    const assembled = await assembleEngine({ dataDir: join(dir, 'data'), nativeBinding: addon, models: { client: idleModels() } });
    expect(assembled.store.listSessions()).toEqual([]);
    await assembled.dispose();
    expect(existsSync(join(dir, 'data', 'nightshift.db'))).toBe(true);
  });

  it('refuses an addon path that does not hold one, naming it, before anything else starts', async () => {
    const dir = makeTempDir();
    const missing = join(dir, 'build', 'native', 'electron-33.2.0', 'better_sqlite3.node');
    let modelsBuilt = false;
    const error = await rejectionOf(
      assembleEngine({
        dataDir: join(dir, 'data'),
        nativeBinding: missing,
        models: {
          get client() {
            modelsBuilt = true;
            return idleModels();
          },
        },
      }),
    );
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect(error).toMatchObject({ code: 'STORE_UNAVAILABLE', hint: `Check that ${missing} is a better-sqlite3 binary built for this runtime.` });
    expect(modelsBuilt).toBe(false);
  });

  it('with sqlite-on-first-use, loads the given addon when the store is first read', async () => {
    const dir = makeTempDir();
    const missing = join(dir, 'nowhere', 'better_sqlite3.node');
    const assembled = await assembleEngine({ dataDir: join(dir, 'data'), nativeBinding: missing, store: 'sqlite-on-first-use', models: { client: idleModels() } });
    expect(() => assembled.store).toThrow(expect.objectContaining({ code: 'STORE_UNAVAILABLE', hint: expect.stringContaining(missing) }));
    await assembled.dispose();
  });
});
