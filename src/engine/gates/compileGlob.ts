/**
 * Compiles a protected-path pattern to a RegExp over workspace-relative paths. `*` and `?` stay within a
 * segment, `**` crosses segments. Like .gitignore: a pattern without a slash matches at any depth, one with
 * a slash (or a leading `/`) is anchored at the root, a trailing `/` means "everything under this folder",
 * and any pattern also covers everything under a folder it names.
 */
export function compileGlob(pattern: string): RegExp {
  let rest = pattern.trim();
  const anchored = rest.startsWith('/');
  if (anchored) rest = rest.slice(1);
  const folderOnly = rest.endsWith('/');
  if (folderOnly) rest = rest.slice(0, -1);
  let body = '';
  for (let index = 0; index < rest.length; index += 1) {
    const char = rest[index] as string;
    if (char === '*' && rest[index + 1] === '*') {
      if (rest[index + 2] === '/') {
        body += '(?:.*/)?';
        index += 2;
      } else {
        body += '.*';
        index += 1;
      }
    } else if (char === '*') {
      body += '[^/]*';
    } else if (char === '?') {
      body += '[^/]';
    } else {
      body += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  const start = anchored || rest.includes('/') ? '^' : '^(?:.*/)?';
  const end = folderOnly ? '/' : '(?:/.*)?$';
  return new RegExp(start + body + end);
}
