import { describe, expect, it } from 'vitest';
import { isPathInside } from '../../../src/shared/isPathInside.js';
import { relativeInside } from '../../../src/shared/relativeInside.js';

describe('isPathInside and relativeInside', () => {
  const cases: Array<{ path: string; dir: string; relative: string | null }> = [
    { path: '/work', dir: '/work', relative: '' },
    { path: '/work/', dir: '/work', relative: '' },
    { path: '/work/a/b.py', dir: '/work', relative: 'a/b.py' },
    { path: '/work//a/./b.py', dir: '/work/', relative: 'a/b.py' },
    { path: '/work2', dir: '/work', relative: null },
    { path: '/work2/a', dir: '/work', relative: null },
    { path: '/wor', dir: '/work', relative: null },
    { path: '/work/../etc/passwd', dir: '/work', relative: null },
    { path: '/work/a/../b', dir: '/work', relative: 'b' },
    { path: '/work/a/../..', dir: '/work', relative: null },
    { path: '/../work/a', dir: '/work', relative: 'a' },
    { path: '/anything', dir: '/', relative: 'anything' },
    { path: '/', dir: '/', relative: '' },
    { path: '/', dir: '/work', relative: null },
    { path: 'work/a', dir: '/work', relative: null },
    { path: '/work/a', dir: 'work', relative: null },
    { path: '/work/a', dir: '/work/a/b', relative: null },
  ];
  it.each(cases)('$path in $dir -> $relative', ({ path, dir, relative }) => {
    expect(relativeInside({ path, dir })).toBe(relative);
    expect(isPathInside({ path, dir })).toBe(relative !== null);
  });
});
