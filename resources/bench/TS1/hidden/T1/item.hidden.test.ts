import { describe, expect, it } from 'vitest';
import { createItem, InvalidItemError } from '../../src/item.js';

const valid = { sku: 'QRS-905', name: ' Desk lamp  ', priceCents: 4599, quantity: 12 };

function fieldOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidItemError);
    expect(error).toBeInstanceOf(Error);
    return (error as InvalidItemError).field;
  }
  return undefined;
}

describe('createItem (acceptance)', () => {
  it('returns exactly the four fields, the name trimmed', () => {
    expect(createItem(valid)).toStrictEqual({ sku: 'QRS-905', name: 'Desk lamp', priceCents: 4599, quantity: 12 });
  });
  it('accepts zero price and zero quantity', () => {
    expect(createItem({ ...valid, priceCents: 0, quantity: 0 })).toMatchObject({ priceCents: 0, quantity: 0 });
  });
  it('returns a new object, not the input', () => {
    const input = { ...valid, name: 'Lamp' };
    expect(createItem(input)).not.toBe(input);
  });
  it.each(['qrs-905', 'QR-905', 'QRSX-905', 'QRS-95', 'QRS-9050', 'QRS905', ' QRS-905', 'QRS_905', ''])('refuses the SKU %j', (sku) => {
    expect(fieldOf(() => createItem({ ...valid, sku }))).toBe('sku');
  });
  it('refuses empty and blank names', () => {
    expect(fieldOf(() => createItem({ ...valid, name: '' }))).toBe('name');
    expect(fieldOf(() => createItem({ ...valid, name: ' \t ' }))).toBe('name');
  });
  it.each([-1, 1.25, Number.NaN, Number.POSITIVE_INFINITY])('refuses the price %s', (priceCents) => {
    expect(fieldOf(() => createItem({ ...valid, priceCents }))).toBe('priceCents');
  });
  it.each([-3, 0.5, Number.NaN])('refuses the quantity %s', (quantity) => {
    expect(fieldOf(() => createItem({ ...valid, quantity }))).toBe('quantity');
  });
  it('names the first bad field in input order', () => {
    expect(fieldOf(() => createItem({ sku: 'bad', name: '', priceCents: -1, quantity: -1 }))).toBe('sku');
    expect(fieldOf(() => createItem({ ...valid, name: ' ', priceCents: -1 }))).toBe('name');
    expect(fieldOf(() => createItem({ ...valid, priceCents: -1, quantity: -1 }))).toBe('priceCents');
  });
});
