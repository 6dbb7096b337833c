import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, readlinkSync, lstatSync } from 'node:fs';
import { join } from 'node:path';
import { git } from './createGitRepo.js';

/**
 * Everything a user could notice about their repository besides new objects and `nightshift/*` refs:
 * every working-tree file's bytes, the index, HEAD, local branches other than Nightshift's, the stash and
 * `git status`. Two equal snapshots mean the user's work was not touched.
 */
export function snapshotUserRepo(dir: string): Record<string, string> {
  const snapshot: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const name of readdirSync(join(dir, rel))) {
      const path = rel ? `${rel}/${name}` : name;
      if (path === '.git') continue;
      const stat = lstatSync(join(dir, path));
      if (stat.isSymbolicLink()) snapshot[`link:${path}`] = readlinkSync(join(dir, path));
      else if (stat.isDirectory()) walk(path);
      else snapshot[`file:${path}`] = `${stat.mode.toString(8)}:${sha(readFileSync(join(dir, path)))}`;
    }
  };
  walk('');
  snapshot['git:index'] = sha(readFileSync(join(dir, '.git/index')));
  snapshot['git:HEAD'] = readFileSync(join(dir, '.git/HEAD'), 'utf8');
  snapshot['git:status'] = git(dir, 'status', '--porcelain=v1', '--untracked-files=all');
  snapshot['git:stash'] = git(dir, 'stash', 'list');
  snapshot['git:branches'] = git(dir, 'for-each-ref', '--format=%(refname) %(objectname)', 'refs/heads')
    .split('\n')
    .filter((line) => !line.startsWith('refs/heads/nightshift/'))
    .join('\n');
  return snapshot;
}

function sha(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
