import { execFile } from 'node:child_process';
import { findExecutable } from './findExecutable.js';

/**
 * Whether bubblewrap can build a sandbox here: it is installed and the kernel lets it create user, pid and
 * network namespaces (distributions may forbid unprivileged user namespaces, or confine bwrap with AppArmor).
 */
export async function probeBubblewrap(options: {
  /** Directories searched for bwrap, joined like PATH. Default: this process's PATH. */
  searchPath?: string;
} = {}): Promise<{ available: boolean; reason: string }> {
  const bwrap = findExecutable({ name: 'bwrap', ...(options.searchPath !== undefined ? { searchPath: options.searchPath } : {}) });
  if (!bwrap) return { available: false, reason: 'bwrap is not installed (apt-get install bubblewrap, dnf install bubblewrap, pacman -S bubblewrap)' };
  return new Promise((resolve) => {
    execFile(
      bwrap,
      ['--unshare-all', '--unshare-user', '--disable-userns', '--die-with-parent', '--ro-bind', '/', '/', '--proc', '/proc', '--dev', '/dev', '/bin/sh', '-c', 'exit 0'],
      { timeout: 10_000, env: {} },
      (error, _stdout, stderr) => {
        if (!error) resolve({ available: true, reason: `${bwrap} can create user, pid and network namespaces` });
        else resolve({ available: false, reason: `${bwrap} cannot create its namespaces: ${stderr.trim() || error.message}` });
      },
    );
  });
}
