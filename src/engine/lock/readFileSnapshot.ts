import { open } from 'node:fs/promises';
import type { FileSnapshot } from './FileSnapshot.js';

/** The file at `path` as it is now, or null when there is none. */
export async function readFileSnapshot(path: string): Promise<FileSnapshot | null> {
  const handle = await open(path, 'r').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  if (!handle) return null;
  try {
    const stat = await handle.stat();
    return { dev: stat.dev, ino: stat.ino, mtimeMs: stat.mtimeMs, content: await handle.readFile('utf8') };
  } finally {
    await handle.close();
  }
}
