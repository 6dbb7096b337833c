import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Runs the real git CLI in `cwd` and returns its trimmed stdout. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'Test User',
      GIT_AUTHOR_EMAIL: 'test@example.com',
      GIT_COMMITTER_NAME: 'Test User',
      GIT_COMMITTER_EMAIL: 'test@example.com',
    },
  }).trim();
}

/** Writes files (path relative to `root` -> content; executable when the path ends in `*`). */
export function writeFiles(root: string, files: Record<string, string>): void {
  for (const [rawPath, content] of Object.entries(files)) {
    const executable = rawPath.endsWith('*');
    const path = join(root, executable ? rawPath.slice(0, -1) : rawPath);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
    if (executable) chmodSync(path, 0o755);
  }
}

/**
 * Creates a real git repository at `dir` with the real git CLI, on branch `main`, and one commit per
 * entry of `commits` (none: an empty repository). Returns `dir`.
 */
export function createGitRepo(options: {
  dir: string;
  commits?: Array<{ files: Record<string, string>; message?: string }>;
}): string {
  mkdirSync(options.dir, { recursive: true });
  git(options.dir, 'init', '-q', '-b', 'main');
  git(options.dir, 'config', 'user.name', 'Test User');
  git(options.dir, 'config', 'user.email', 'test@example.com');
  git(options.dir, 'config', 'commit.gpgsign', 'false');
  for (const [index, commit] of (options.commits ?? []).entries()) {
    writeFiles(options.dir, commit.files);
    git(options.dir, 'add', '-A');
    git(options.dir, 'commit', '-q', '-m', commit.message ?? `commit ${index + 1}`);
  }
  return options.dir;
}
