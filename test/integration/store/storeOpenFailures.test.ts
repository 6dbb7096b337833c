import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { StoreCorruptError } from '../../../src/engine/store/StoreCorruptError.js';
import { StoreUnavailableError } from '../../../src/engine/store/StoreUnavailableError.js';
import { createSqliteStore } from '../../../src/engine/store/createSqliteStore.js';
import { migrations } from '../../../src/engine/store/migrations.js';
import { makeTempDir } from '../../utils/makeTempDir.js';
import { sampleRails, seedStore } from '../../utils/seedStore.js';

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

function openError(path: string): unknown {
  try {
    createSqliteStore({ path }).dispose();
  } catch (error) {
    return error;
  }
  throw new Error(`expected opening ${path} to fail`);
}

/** A real store file spanning many pages, closed cleanly so everything is in the main file. */
function writeRealDatabase(path: string): void {
  const store = createSqliteStore({ path });
  const { taskRuns } = seedStore({ store, taskIds: Array.from({ length: 50 }, (_, i) => `T${i}`) });
  for (const taskRun of taskRuns) {
    const attempt = store.startAttempt({ taskRunId: taskRun.id, number: 1, startedAt: 1 });
    store.recordRails(attempt.id, sampleRails.map((rail) => ({ ...rail, detail: rail.detail.repeat(40) })));
  }
  store.dispose();
}

describe('createSqliteStore on a file it cannot trust', () => {
  it('refuses a file of random bytes and leaves it byte for byte', () => {
    const path = join(makeTempDir(), 'nightshift.db');
    writeFileSync(path, randomBytes(64 * 1024));
    const before = sha256(path);
    const error = openError(path);
    expect(error).toBeInstanceOf(StoreCorruptError);
    expect(error).toMatchObject({
      code: 'STORE_CORRUPT',
      context: { path, reason: 'the file is not a SQLite database' },
    });
    expect((error as StoreCorruptError).hint).toMatch(/move it aside|Move .* aside/i);
    expect((error as StoreCorruptError).hint).toMatch(/never recreates/);
    expect(sha256(path)).toBe(before);
  });

  it('refuses a short text file that is not SQLite', () => {
    const path = join(makeTempDir(), 'nightshift.db');
    writeFileSync(path, 'hello');
    expect(openError(path)).toBeInstanceOf(StoreCorruptError);
    expect(readFileSync(path, 'utf8')).toBe('hello');
  });

  it('refuses a truncated real database and leaves it byte for byte', () => {
    const path = join(makeTempDir(), 'nightshift.db');
    writeRealDatabase(path);
    const size = statSync(path).size;
    expect(size).toBeGreaterThan(64 * 1024);
    truncateSync(path, Math.floor(size / 2));
    const before = sha256(path);
    const error = openError(path);
    expect(error).toBeInstanceOf(StoreCorruptError);
    expect((error as StoreCorruptError).context.path).toBe(path);
    expect(sha256(path)).toBe(before);
    expect(statSync(path).size).toBe(Math.floor(size / 2));
  });

  it('refuses a real database with a damaged page in the middle', () => {
    const path = join(makeTempDir(), 'nightshift.db');
    writeRealDatabase(path);
    const bytes = readFileSync(path);
    const pageSize = bytes.readUInt16BE(16);
    bytes.fill(0xa5, pageSize * 3, pageSize * 5);
    writeFileSync(path, bytes);
    const before = sha256(path);
    expect(openError(path)).toBeInstanceOf(StoreCorruptError);
    expect(sha256(path)).toBe(before);
  });

  it('refuses a database written by a newer Nightshift and says so', () => {
    const path = join(makeTempDir(), 'nightshift.db');
    writeRealDatabase(path);
    const db = new Database(path);
    db.pragma(`user_version = ${migrations.length + 1}`);
    db.close();
    const before = sha256(path);
    const error = openError(path);
    expect(error).toBeInstanceOf(StoreCorruptError);
    expect((error as StoreCorruptError).message).toMatch(/newer Nightshift/);
    expect((error as StoreCorruptError).hint).toMatch(/newer Nightshift/);
    expect(sha256(path)).toBe(before);
  });

  it('opens a zero-length file as a new database, as SQLite does', () => {
    const path = join(makeTempDir(), 'nightshift.db');
    writeFileSync(path, '');
    const store = createSqliteStore({ path });
    expect(store.listSessions()).toEqual([]);
    store.dispose();
  });
});

describe('createSqliteStore where it cannot write', () => {
  it('throws StoreUnavailableError when the directory cannot be created', () => {
    const dir = makeTempDir();
    writeFileSync(join(dir, 'file'), 'x');
    const path = join(dir, 'file', 'data', 'nightshift.db');
    const error = openError(path);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect(error).toMatchObject({ code: 'STORE_UNAVAILABLE', context: { path } });
    expect((error as StoreUnavailableError).message).toMatch(/ENOTDIR/);
    expect((error as StoreUnavailableError).hint).toMatch(/--data-dir|NIGHTSHIFT_HOME/);
  });

  it('throws StoreUnavailableError when the path is a directory', () => {
    const dir = makeTempDir();
    expect(openError(dir)).toBeInstanceOf(StoreUnavailableError);
  });
});
