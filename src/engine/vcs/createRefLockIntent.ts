import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { isProcessAlive } from '../../node/isProcessAlive.js';
import { readFileSnapshot } from '../lock/readFileSnapshot.js';
import { replaceStaleFile } from '../lock/replaceStaleFile.js';
import { writeFileAtomically } from '../lock/writeFileAtomically.js';

/** How far a lock file's time may be from its intent's for an unidentified lock to count as that intent's, ms. */
const CLOCK_SLACK_MS = 2000;

const intentSchema = z.object({
  pid: z.number().int().positive(),
  host: z.string(),
  lockPath: z.string(),
  /** The oid the ref was being moved to: what the lock file holds once written. */
  oid: z.string(),
  /** Epoch milliseconds, taken before the lock file was created. */
  createdAt: z.number(),
  /** The lock file's identity, recorded as soon as it was created. */
  lock: z.object({ dev: z.number(), ino: z.number() }).optional(),
});

type Intent = z.infer<typeof intentSchema>;

/** One process's record of a ref update it is about to make, kept in Nightshift's data directory. */
export interface RefLockIntent {
  /**
   * Removes `lockPath` if it is a lock left by a Nightshift process on this machine that died holding it
   * (its intent names it: same file, or, if the kill came before the file was identified, an empty file
   * created then), and clears the intents of dead processes for this lock. Any other lock is left alone.
   */
  recoverStale(): Promise<void>;
  /** Records that this process is about to create the lock to move the ref to `oid`. */
  declare(oid: string): Promise<void>;
  /** Records the identity of the lock file this process created. */
  identify(lock: { dev: number; ino: number }): Promise<void>;
  /** Removes this process's intent (after the lock was renamed into place or removed). */
  clear(): Promise<void>;
}

/**
 * Intents make a ref's `.lock` in the user's `.git` recognisable as Nightshift's after a kill at any
 * instant, without writing anything else there: the record lives in `dir`, one file per process and lock.
 */
export function createRefLockIntent(options: {
  /** Nightshift's folder for intents (from `refIntentsDir`), created if missing. */
  dir: string;
  /** The ref's lock file in the user's git directory. */
  lockPath: string;
  /** Whether a process id on this machine is alive. Default: `isProcessAlive`. */
  isAlive?: (pid: number) => boolean;
}): RefLockIntent {
  const isAlive = options.isAlive ?? isProcessAlive;
  const host = hostname();
  const prefix = `${createHash('sha256').update(options.lockPath).digest('hex').slice(0, 24)}-`;
  const ownPath = join(options.dir, `${prefix}${process.pid}.json`);
  let own: Intent | null = null;

  const readIntent = async (path: string): Promise<Intent | null> => {
    const text = await readFile(path, 'utf8').catch(() => null);
    if (text === null) return null;
    try {
      const parsed = intentSchema.safeParse(JSON.parse(text));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  };

  return {
    async recoverStale() {
      await mkdir(options.dir, { recursive: true });
      const names = (await readdir(options.dir)).filter((name) => name.startsWith(prefix) && name.endsWith('.json'));
      for (const name of names) {
        const path = join(options.dir, name);
        const intent = await readIntent(path);
        if (!intent || intent.host !== host || intent.lockPath !== options.lockPath || intent.pid === process.pid || isAlive(intent.pid)) continue;
        const lock = await readFileSnapshot(options.lockPath);
        const written = lock !== null && `${intent.oid}\n`.startsWith(lock.content);
        const same = intent.lock
          ? lock?.dev === intent.lock.dev && lock.ino === intent.lock.ino
          : lock?.content === '' && Math.abs(lock.mtimeMs - intent.createdAt) <= CLOCK_SLACK_MS;
        if (lock && written && same) {
          const owner = { pid: process.pid, host, startedAt: Date.now(), command: `recover ${options.lockPath}` };
          await replaceStaleFile({ path: options.lockPath, stale: lock, replacement: null, guardDir: options.dir, owner, isAlive });
        }
        await rm(path, { force: true });
      }
    },
    async declare(oid) {
      await mkdir(options.dir, { recursive: true });
      own = { pid: process.pid, host, lockPath: options.lockPath, oid, createdAt: Date.now() };
      await writeFileAtomically({ path: ownPath, content: JSON.stringify(own) });
    },
    async identify(lock) {
      if (!own) return;
      own = { ...own, lock: { dev: lock.dev, ino: lock.ino } };
      await writeFileAtomically({ path: ownPath, content: JSON.stringify(own) });
    },
    async clear() {
      own = null;
      await rm(ownPath, { force: true });
    },
  };
}
