import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mapRequirementsToDebian } from '../../../../src/sandbox/docker/mapRequirementsToDebian.js';
import { projectConfigSchema } from '../../../../src/shared/projectConfigSchema.js';
import { makeTempDir } from '../../../utils/makeTempDir.js';

function requirements(text: string | null): string[] | null {
  const dir = makeTempDir();
  if (text !== null) writeFileSync(join(dir, 'requirements.txt'), text);
  return mapRequirementsToDebian({ projectDir: dir });
}

describe('mapRequirementsToDebian', () => {
  it('maps every known requirement, ignoring pins, extras, markers, comments and case', () => {
    expect(requirements('Flask==2.2.2\nPyJWT>=2  # tokens\nrequests[socks] ; python_version >= "3.8"\n\n# dev\nflask\npython_dateutil\n')).toEqual([
      'python3-dateutil',
      'python3-flask',
      'python3-jwt',
      'python3-requests',
    ]);
  });

  it('gives up when one requirement is unknown, or on pip options, or when there is nothing', () => {
    expect(requirements('flask\nleftpad-for-python==1.0\n')).toBeNull();
    expect(requirements('-r base.txt\n')).toBeNull();
    expect(requirements('-e .\n')).toBeNull();
    expect(requirements('# nothing\n')).toBeNull();
    expect(requirements(null)).toBeNull();
  });
});

describe('sandboxPackages in nightshift.json', () => {
  it('takes Debian package names and refuses anything else', () => {
    expect(projectConfigSchema.parse({ sandboxPackages: { debian: ['python3-flask', 'libc++1', 'g++'] } }).sandboxPackages).toEqual({ debian: ['python3-flask', 'libc++1', 'g++'] });
    for (const bad of ['Flask', 'python3-flask; rm -rf /', '-y', 'a', 'flask==2']) {
      expect(projectConfigSchema.safeParse({ sandboxPackages: { debian: [bad] } }).success).toBe(false);
    }
    expect(projectConfigSchema.safeParse({ sandboxPackages: { pip: ['flask'] } }).success).toBe(false);
  });

  it('links .nightshift-deps by default, beside node_modules and .venv', () => {
    expect(projectConfigSchema.parse({}).linkDirs).toEqual(['node_modules', '.venv', '.nightshift-deps']);
  });
});
