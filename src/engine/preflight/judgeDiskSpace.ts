import type { PreflightCheck } from './PreflightCheck.js';

const GIB = 1024 ** 3;
/** Below this a night refuses to start: a workspace copy, test caches and reports need room. */
const REFUSE_BELOW_BYTES = 1 * GIB;
/** Below this a night starts with a warning. */
const WARN_BELOW_BYTES = 5 * GIB;

/** The disk check's verdict for the free space where workspaces live. */
export function judgeDiskSpace(options: {
  /** The workspaces folder. */
  dir: string;
  /** Bytes available to this user on its file system. */
  freeBytes: number;
}): PreflightCheck {
  const free = `${(options.freeBytes / GIB).toFixed(1)} GiB free for workspaces in ${options.dir}`;
  const base = { id: 'disk', title: 'disk space for the workspace' };
  if (options.freeBytes < REFUSE_BELOW_BYTES) {
    return { ...base, status: 'failed', detail: `${free}; at least 1 GiB is needed.`, fix: 'Free disk space on that file system, or point --data-dir (or NIGHTSHIFT_HOME) at a disk with room.' };
  }
  if (options.freeBytes < WARN_BELOW_BYTES) {
    return { ...base, status: 'warning', detail: `${free}; a long night can fill it.`, fix: 'Free some space, or point --data-dir at a larger disk.' };
  }
  return { ...base, status: 'ok', detail: free, fix: '' };
}
