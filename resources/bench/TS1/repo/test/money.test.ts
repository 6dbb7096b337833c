import { describe, expect, it } from 'vitest';
import { formatCents } from '../src/money.js';

describe('formatCents', () => {
  it('formats dollars and cents', () => {
    expect(formatCents(1999)).toBe('19.99');
    expect(formatCents(5)).toBe('0.05');
    expect(formatCents(-250)).toBe('-2.50');
  });
  it('refuses fractions of a cent', () => {
    expect(() => formatCents(1.5)).toThrow(RangeError);
  });
});
