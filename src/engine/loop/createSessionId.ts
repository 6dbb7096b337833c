import { randomBytes } from 'node:crypto';

/** A sortable, branch-safe session id such as `20261121-050112-3f9a`. */
export function createSessionId(options: { now: number }): string {
  const iso = new Date(options.now).toISOString();
  const stamp = `${iso.slice(0, 10).replaceAll('-', '')}-${iso.slice(11, 19).replaceAll(':', '')}`;
  return `${stamp}-${randomBytes(2).toString('hex')}`;
}
