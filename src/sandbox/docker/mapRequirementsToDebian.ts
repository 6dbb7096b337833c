import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** PyPI project names (normalized) and the Debian bookworm packages that provide them. */
const DEBIAN_PACKAGES: Record<string, string> = {
  attrs: 'python3-attr',
  bcrypt: 'python3-bcrypt',
  click: 'python3-click',
  cryptography: 'python3-cryptography',
  fastapi: 'python3-fastapi',
  flask: 'python3-flask',
  'flask-cors': 'python3-flask-cors',
  'flask-login': 'python3-flask-login',
  'flask-sqlalchemy': 'python3-flask-sqlalchemy',
  freezegun: 'python3-freezegun',
  httpx: 'python3-httpx',
  hypothesis: 'python3-hypothesis',
  itsdangerous: 'python3-itsdangerous',
  jinja2: 'python3-jinja2',
  markupsafe: 'python3-markupsafe',
  marshmallow: 'python3-marshmallow',
  numpy: 'python3-numpy',
  passlib: 'python3-passlib',
  pydantic: 'python3-pydantic',
  pyjwt: 'python3-jwt',
  pytest: 'python3-pytest',
  'pytest-mock': 'python3-pytest-mock',
  'python-dateutil': 'python3-dateutil',
  pytz: 'python3-tz',
  pyyaml: 'python3-yaml',
  requests: 'python3-requests',
  responses: 'python3-responses',
  simplejson: 'python3-simplejson',
  six: 'python3-six',
  sqlalchemy: 'python3-sqlalchemy',
  toml: 'python3-toml',
  'typing-extensions': 'python3-typing-extensions',
  werkzeug: 'python3-werkzeug',
};

/**
 * The Debian packages that provide a project's requirements.txt, sorted, when every requirement has one in
 * the table (flask -> python3-flask, pyjwt -> python3-jwt, ...); version pins are ignored, since Debian ships
 * one version. Null when the file is missing, names nothing, or names a project the table does not know (or
 * uses pip options such as `-r` or `-e`): then only `nightshift sandbox setup` can install the dependencies.
 */
export function mapRequirementsToDebian(options: {
  /** Folder holding requirements.txt. */
  projectDir: string;
}): string[] | null {
  let text: string;
  try {
    text = readFileSync(join(options.projectDir, 'requirements.txt'), 'utf8');
  } catch {
    return null;
  }
  const packages = new Set<string>();
  for (const raw of text.split('\n')) {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (line === '') continue;
    const name = /^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?\s*([<>=!~;].*)?$/.exec(line)?.[1];
    const known = name === undefined ? undefined : DEBIAN_PACKAGES[name.toLowerCase().replace(/[._]+/g, '-')];
    if (known === undefined) return null;
    packages.add(known);
  }
  return packages.size === 0 ? null : [...packages].sort();
}
