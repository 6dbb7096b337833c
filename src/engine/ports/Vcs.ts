/** A file's content change inside a workspace; null means the file does not exist on that side. */
export interface FileChange {
  /** Path relative to the repository root, with forward slashes. */
  path: string;
  before: string | null;
  after: string | null;
  /**
   * Set when the change is not a regular file's text and so can never be written or committed: what it
   * is, e.g. `a symlink (mode 120000)` or `binary content (GIT binary patch)`. The content sides then hold
   * the file as it was. The path-safety rail refuses such changes.
   */
  refused?: string;
}

export interface RepoInfo {
  /** Absolute path of the repository's working tree root. */
  root: string;
  /** Commit HEAD points to. */
  headOid: string;
  /** Checked-out branch name without `refs/heads/`, or null when HEAD is detached. */
  currentBranch: string | null;
}

/**
 * Git access. Implementations write only objects and the refs they are asked to move in the user's
 * repository: never the working tree, index, stash or HEAD.
 */
export interface Vcs {
  /** Throws `NotAGitRepoError` or `EmptyRepoError` (from `engine/vcs/`). */
  inspectRepo(options: { repoDir: string }): Promise<RepoInfo>;
  /** Commit oid a branch points to, or null when the branch does not exist. */
  readBranch(options: { repoDir: string; branch: string }): Promise<string | null>;
  /** Writes the tree of `commitOid` into `workspaceDir` (created if missing, must be empty); submodules become empty folders. */
  materialize(options: { repoDir: string; commitOid: string; workspaceDir: string }): Promise<void>;
  /** Content of a file at a commit, or null when absent. */
  readFileAt(options: { repoDir: string; commitOid: string; path: string }): Promise<string | null>;
  /**
   * Writes blobs, trees and a commit for `changes` on top of `parentOid`; returns the new commit oid. Only
   * regular files (100644/100755) come out: a `refused` change, or one over or under a symlink or gitlink
   * of the parent tree, throws `InvalidCommitInputError` before any commit exists.
   */
  commit(options: {
    repoDir: string;
    parentOid: string;
    changes: FileChange[];
    message: string;
    author: { name: string; email: string; timestamp: number };
  }): Promise<string>;
  /**
   * Points `refs/heads/<branch>` at `oid` only if it currently points at `expectedOid` (null: must not
   * exist). Throws `BranchMovedError` otherwise.
   */
  updateBranch(options: { repoDir: string; branch: string; oid: string; expectedOid: string | null }): Promise<void>;
  /** Commits reachable from `oid`, newest first, with their messages. */
  log(options: { repoDir: string; oid: string; depth?: number }): Promise<{ oid: string; message: string }[]>;
}
