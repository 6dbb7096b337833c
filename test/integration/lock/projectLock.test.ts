import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireProjectLock } from '../../../src/engine/lock/acquireProjectLock.js';
import { ProjectLockedError } from '../../../src/engine/lock/ProjectLockedError.js';
import { projectLockPath } from '../../../src/engine/lock/projectLockPath.js';
import { readProjectLock } from '../../../src/engine/lock/readProjectLock.js';
import { deadPid } from '../../utils/deadPid.js';
import { makeTempDir } from '../../utils/makeTempDir.js';

const projectPath = '/srv/projects/calc';

function writeLock(locksDir: string, owner: object): string {
  mkdirSync(locksDir, { recursive: true });
  const path = projectLockPath({ locksDir, projectPath });
  writeFileSync(path, JSON.stringify(owner));
  return path;
}

describe('acquireProjectLock', () => {
  it('holds the project for one process: a second is refused with who holds it, and can take it once released', async () => {
    const locksDir = join(makeTempDir(), 'locks');
    const first = await acquireProjectLock({ locksDir, projectPath, command: 'nightshift run calc', now: Date.UTC(2030, 0, 2, 3, 4) });
    await first.setSession('s-first');
    expect(JSON.parse(readFileSync(first.path, 'utf8'))).toEqual({
      pid: process.pid,
      host: hostname(),
      startedAt: Date.UTC(2030, 0, 2, 3, 4),
      sessionId: 's-first',
      command: 'nightshift run calc',
    });

    const refused = await acquireProjectLock({ locksDir, projectPath, command: 'second', now: Date.now() }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ProjectLockedError);
    const message = (refused as ProjectLockedError).message;
    expect(message).toContain(`process ${process.pid} on ${hostname()} since 2030-01-02T03:04:00.000Z (session s-first): nightshift run calc`);
    expect((refused as ProjectLockedError).hint).toContain(`kill ${process.pid}`);
    expect(await readProjectLock({ locksDir, projectPath })).toMatchObject({ state: 'held', owner: { sessionId: 's-first' } });

    await first.release();
    expect(readdirSync(locksDir)).toEqual([]);
    expect(await readProjectLock({ locksDir, projectPath })).toEqual({ state: 'absent' });
    const again = await acquireProjectLock({ locksDir, projectPath, command: 'third', now: Date.now() });
    expect(again.tookOverFrom).toBeNull();
    await again.release();
  });

  it('takes over a lock whose process died on this machine, and says whose it was', async () => {
    const locksDir = join(makeTempDir(), 'locks');
    const dead = { pid: deadPid(), host: hostname(), startedAt: 1, sessionId: 's-dead', command: 'nightshift run calc' };
    writeLock(locksDir, dead);
    expect(await readProjectLock({ locksDir, projectPath })).toEqual({ state: 'stale', owner: dead });
    const lock = await acquireProjectLock({ locksDir, projectPath, command: 'resume', now: 5 });
    expect(lock.tookOverFrom).toEqual(dead);
    expect(JSON.parse(readFileSync(lock.path, 'utf8'))).toMatchObject({ pid: process.pid, startedAt: 5 });
    // No guard or temporary file is left beside it.
    expect(readdirSync(locksDir)).toEqual([lock.path.split('/').pop()]);
    await lock.release();
  });

  it('never takes over a lock from another machine, and says so', async () => {
    const locksDir = join(makeTempDir(), 'locks');
    const path = writeLock(locksDir, { pid: deadPid(), host: 'other-machine', startedAt: 1, command: 'nightshift run calc' });
    const refused = await acquireProjectLock({ locksDir, projectPath, command: 'x', now: 2 }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ProjectLockedError);
    expect((refused as ProjectLockedError).hint).toContain('another machine (other-machine), so it is never taken over automatically');
    expect((refused as ProjectLockedError).hint).toContain(path);
    expect(await readProjectLock({ locksDir, projectPath })).toMatchObject({ state: 'foreign' });
  });

  it('refuses on a lock file that is not Nightshift\'s, naming the file to delete', async () => {
    const locksDir = join(makeTempDir(), 'locks');
    const path = writeLock(locksDir, { something: 'else' });
    await expect(acquireProjectLock({ locksDir, projectPath, command: 'x', now: 2 })).rejects.toMatchObject({ code: 'PROJECT_LOCKED', hint: expect.stringContaining(path) });
    expect(await readProjectLock({ locksDir, projectPath })).toEqual({ state: 'unreadable' });
  });

  it('lets exactly one of many racers take over a stale lock', async () => {
    const locksDir = join(makeTempDir(), 'locks');
    const stalePid = deadPid();
    writeLock(locksDir, { pid: stalePid, host: hostname(), startedAt: 1, command: 'killed' });
    // Each racer is a distinct live process as far as the lock is concerned; only the original holder is dead.
    const isAlive = (pid: number) => pid !== stalePid;
    const racers = Array.from({ length: 8 }, (_, index) =>
      acquireProjectLock({ locksDir, projectPath, command: `racer ${index}`, now: 100 + index, pid: 900_000 + index, isAlive }),
    );
    const results = await Promise.allSettled(racers);
    const winners = results.filter((result) => result.status === 'fulfilled');
    expect(winners).toHaveLength(1);
    for (const result of results) if (result.status === 'rejected') expect(result.reason).toBeInstanceOf(ProjectLockedError);
    const holder = JSON.parse(readFileSync(projectLockPath({ locksDir, projectPath }), 'utf8')) as { pid: number };
    expect(winners[0]!.status === 'fulfilled' && winners[0]!.value.owner.pid).toBe(holder.pid);
  });

  it('takes over a stale lock whose takeover guard a killed process left behind', async () => {
    const locksDir = join(makeTempDir(), 'locks');
    const killed = deadPid();
    writeLock(locksDir, { pid: killed, host: hostname(), startedAt: 1, command: 'first' });
    // Another process found the lock stale, created the guard named after the stale file, and was killed
    // before replacing the lock.
    const path = projectLockPath({ locksDir, projectPath });
    const stale = statSync(path);
    const key = createHash('sha256').update(path).digest('hex').slice(0, 24);
    writeFileSync(join(locksDir, `${key}-${stale.dev}-${stale.ino}.takeover`), JSON.stringify({ pid: killed, host: hostname(), startedAt: 2, command: 'second' }));

    const lock = await acquireProjectLock({ locksDir, projectPath, command: 'third', now: 3 });
    expect(lock.tookOverFrom).toMatchObject({ pid: killed, command: 'first' });
    expect(readdirSync(locksDir)).toEqual([path.split('/').pop()]);
    await lock.release();
  });
});
