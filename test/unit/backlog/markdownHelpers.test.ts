import { describe, expect, it } from 'vitest';
import { scanMarkdownLines } from '../../../src/engine/backlog/scanMarkdownLines.js';
import { unwrapCodeSpan } from '../../../src/engine/backlog/unwrapCodeSpan.js';

describe('scanMarkdownLines', () => {
  it('tracks backtick and tilde fences, closing only on a long enough run of the same character', () => {
    const text = ['a', '````py', '```', '~~~', '````', '~~~', 'b', '~~~~', '```inline``` not a fence', 'still code'].join('\n');
    expect(scanMarkdownLines({ text }).map((line) => [line.line, line.fenced, line.opensFence])).toEqual([
      [1, false, false],
      [2, false, true],
      [3, true, false],
      [4, true, false],
      [5, true, false],
      [6, false, true],
      [7, true, false],
      [8, true, false],
      [9, false, false],
      [10, false, false],
    ]);
  });
});

describe('unwrapCodeSpan', () => {
  it('unwraps one whole code span and leaves anything else trimmed', () => {
    expect(unwrapCodeSpan({ value: ' `npm test` ' })).toBe('npm test');
    expect(unwrapCodeSpan({ value: '`` a`b ``' })).toBe('a`b');
    expect(unwrapCodeSpan({ value: '``  padded  ``' })).toBe(' padded ');
    expect(unwrapCodeSpan({ value: '`a` and `b`' })).toBe('`a` and `b`');
    expect(unwrapCodeSpan({ value: '`open' })).toBe('`open');
    expect(unwrapCodeSpan({ value: 'plain ' })).toBe('plain');
  });
});
