import { spawnSync } from 'node:child_process';

/**
 * True when bubblewrap can build a sandbox on this machine (Linux with bwrap installed and user namespaces
 * allowed); the bubblewrap tests are skipped, visibly, elsewhere.
 */
export function bubblewrapWorks(): boolean {
  if (process.platform !== 'linux') return false;
  const probe = spawnSync('bwrap', ['--unshare-all', '--unshare-user', '--ro-bind', '/', '/', '/bin/true'], { stdio: 'ignore' });
  return probe.status === 0;
}
