/**
 * Workspace-relative folder where the harness puts its own short-lived files (test reports, analysis inputs,
 * stubbed sources) so that sandboxed commands can read and write them; each user removes what it made.
 * Never part of a change: commits are built from the change set, not from the folder.
 */
export const WORKSPACE_SCRATCH_DIR = '.nightshift';
