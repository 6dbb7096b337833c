import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataDirError } from '../../../src/engine/store/DataDirError.js';
import { createSqliteStore } from '../../../src/engine/store/createSqliteStore.js';
import { openDataDir } from '../../../src/engine/store/openDataDir.js';
import { resolveDataDir } from '../../../src/engine/store/resolveDataDir.js';
import { makeTempDir } from '../../utils/makeTempDir.js';

describe('resolveDataDir', () => {
  it('prefers the explicit directory over NIGHTSHIFT_HOME and the home default', () => {
    expect(resolveDataDir({ explicit: '/data/ns', env: { NIGHTSHIFT_HOME: '/env/ns' }, homeDir: '/home/u' })).toBe('/data/ns');
  });

  it('uses NIGHTSHIFT_HOME when nothing explicit is given', () => {
    expect(resolveDataDir({ env: { NIGHTSHIFT_HOME: '/env/ns' }, homeDir: '/home/u' })).toBe('/env/ns');
    expect(resolveDataDir({ explicit: '', env: { NIGHTSHIFT_HOME: '/env/ns' }, homeDir: '/home/u' })).toBe('/env/ns');
  });

  it('falls back to ~/.nightshift, ignoring an empty NIGHTSHIFT_HOME', () => {
    expect(resolveDataDir({ env: {}, homeDir: '/home/u' })).toBe('/home/u/.nightshift');
    expect(resolveDataDir({ env: { NIGHTSHIFT_HOME: '' }, homeDir: '/home/u' })).toBe('/home/u/.nightshift');
  });

  it('makes relative choices absolute against the working directory', () => {
    expect(resolveDataDir({ explicit: 'rel/ns', env: {} })).toBe(join(process.cwd(), 'rel/ns'));
    expect(resolveDataDir({ env: { NIGHTSHIFT_HOME: './envrel' } })).toBe(join(process.cwd(), 'envrel'));
  });
});

describe('openDataDir', () => {
  it('creates the tree, leaves no probe behind, and gives a db path the store can open', () => {
    const dir = join(makeTempDir(), 'a', 'b', '.nightshift');
    const layout = openDataDir({ dir });
    expect(layout).toEqual({
      dir,
      dbPath: join(dir, 'nightshift.db'),
      workspacesDir: join(dir, 'workspaces'),
      reportsDir: join(dir, 'reports'),
    });
    expect(statSync(layout.workspacesDir).isDirectory()).toBe(true);
    expect(statSync(layout.reportsDir).isDirectory()).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['reports', 'workspaces']);
    const store = createSqliteStore({ path: layout.dbPath });
    store.dispose();
    expect(existsSync(layout.dbPath)).toBe(true);
    // Opening an existing tree again is fine.
    expect(openDataDir({ dir })).toEqual(layout);
  });

  it('throws DataDirError with a --data-dir / NIGHTSHIFT_HOME hint when the directory cannot be created', () => {
    const parent = makeTempDir();
    writeFileSync(join(parent, 'not-a-dir'), 'x');
    const dir = join(parent, 'not-a-dir', '.nightshift');
    let caught: unknown;
    try {
      openDataDir({ dir });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DataDirError);
    expect(caught).toMatchObject({ code: 'DATA_DIR_UNAVAILABLE', context: { dir } });
    expect((caught as DataDirError).hint).toMatch(/--data-dir/);
    expect((caught as DataDirError).hint).toMatch(/NIGHTSHIFT_HOME/);
  });

  it('throws DataDirError when a subdirectory name is taken by a file', () => {
    const dir = makeTempDir();
    writeFileSync(join(dir, 'workspaces'), 'x');
    expect(() => openDataDir({ dir })).toThrow(DataDirError);
  });
});
