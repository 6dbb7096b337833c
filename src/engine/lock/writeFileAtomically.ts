import { randomBytes } from 'node:crypto';
import { link, open, rename, rm } from 'node:fs/promises';

/**
 * Writes `content` to `path` so that readers only ever see a complete file: a synced temporary file beside it
 * is renamed over `path`, or, with `exclusive`, hard-linked to it, which fails (false) when `path` exists,
 * like O_EXCL, but never shows a half-written lock to another process.
 */
export async function writeFileAtomically(options: {
  path: string;
  content: string;
  /** Fail instead of replacing an existing file. Default false. */
  exclusive?: boolean;
}): Promise<boolean> {
  const temporary = `${options.path}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(temporary, 'wx');
  try {
    await handle.writeFile(options.content);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    if (!options.exclusive) {
      await rename(temporary, options.path);
      return true;
    }
    await link(temporary, options.path);
    return true;
  } catch (error) {
    if (options.exclusive && (error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await rm(temporary, { force: true });
  }
}
