/** `./src//a.py` -> `src/a.py`, so paths from plans, patches and edits compare equal. */
export function normalizeRelativePath(path: string): string {
  return path
    .split('/')
    .filter((segment) => segment !== '' && segment !== '.')
    .join('/');
}
