import { mkdir, statfs } from 'node:fs/promises';
import { judgeDiskSpace } from './judgeDiskSpace.js';
import type { PreflightCheck } from './PreflightCheck.js';

/** Free space on the file system that holds the workspaces folder (created when missing). */
export async function checkDiskSpace(options: {
  /** The workspaces folder. */
  dir: string;
}): Promise<PreflightCheck> {
  try {
    await mkdir(options.dir, { recursive: true });
    const stats = await statfs(options.dir);
    return judgeDiskSpace({ dir: options.dir, freeBytes: stats.bavail * stats.bsize });
  } catch (error) {
    return {
      id: 'disk',
      title: 'disk space for the workspace',
      status: 'failed',
      detail: `Cannot read the free space of ${options.dir}: ${error instanceof Error ? error.message : String(error)}`,
      fix: 'Make the data directory writable, or point --data-dir at one that is.',
    };
  }
}
