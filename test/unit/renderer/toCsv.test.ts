import { describe, expect, it } from 'vitest';
import { toCsv } from '../../../src/renderer/format/toCsv.js';

describe('toCsv', () => {
  it('writes a header and rows with CRLF, quoting only cells that need it', () => {
    expect(toCsv({ columns: ['Rail', 'Refusals'], rows: [['suite', 5], ['scope', 1]] })).toBe('Rail,Refusals\r\nsuite,5\r\nscope,1\r\n');
    expect(toCsv({ columns: ['Message'], rows: [['expected 3, got "4"'], ['two\nlines'], [12.5]] })).toBe('Message\r\n"expected 3, got ""4"""\r\n"two\nlines"\r\n12.5\r\n');
  });

  it('writes the header alone for no rows', () => {
    expect(toCsv({ columns: ['A', 'B'], rows: [] })).toBe('A,B\r\n');
  });
});
