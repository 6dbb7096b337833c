import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveToolDirs } from '../../../../src/sandbox/native/resolveToolDirs.js';
import { makeTempDir } from '../../../utils/makeTempDir.js';

function program(path: string): string {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, '#!/bin/sh\n');
  chmodSync(path, 0o755);
  return path;
}

describe('resolveToolDirs', () => {
  it("shows a tool's install prefix, for the shim found on PATH and for the file a symlink leads to", () => {
    const base = makeTempDir();
    const home = join(base, 'home');
    program(join(home, '.nvm/versions/node/v22/bin/node'));
    const real = program(join(base, 'opt/python-3.12/bin/python3.12'));
    mkdirSync(join(base, 'links/bin'), { recursive: true });
    symlinkSync(real, join(base, 'links/bin/python3'));
    const dirs = resolveToolDirs({ tools: ['node', 'python3', 'missing'], searchPath: `${join(home, '.nvm/versions/node/v22/bin')}:${join(base, 'links/bin')}`, home });
    expect(dirs).toEqual([join(home, '.nvm/versions/node/v22'), join(base, 'links'), join(base, 'opt/python-3.12')].sort());
  });

  it('never exposes the whole home: a tool in ~/bin shows ~/bin, a tool in ~ shows only its file', () => {
    const home = makeTempDir();
    program(join(home, 'bin/mytool'));
    program(join(home, 'loose'));
    expect(resolveToolDirs({ tools: ['mytool'], searchPath: join(home, 'bin'), home })).toEqual([join(home, 'bin')]);
    expect(resolveToolDirs({ tools: ['loose'], searchPath: home, home })).toEqual([join(home, 'loose')]);
  });

  it('drops paths inside another one', () => {
    const base = makeTempDir();
    program(join(base, 'tools/bin/a'));
    program(join(base, 'tools/bin/b'));
    expect(resolveToolDirs({ tools: ['a', 'b'], searchPath: join(base, 'tools/bin'), home: join(base, 'home') })).toEqual([join(base, 'tools')]);
  });
});
