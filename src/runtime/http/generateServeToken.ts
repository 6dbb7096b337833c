import { randomBytes } from 'node:crypto';

/** A fresh bearer token for `nightshift models serve`: 32 random bytes, base64url (URL- and header-safe). */
export function generateServeToken(): string {
  return `ns-${randomBytes(32).toString('base64url')}`;
}
