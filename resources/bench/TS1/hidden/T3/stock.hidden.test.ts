import { describe, expect, it } from 'vitest';
import { Inventory } from '../../src/inventory.js';
import { createItem } from '../../src/item.js';
import { OutOfStockError, restock, sell, UnknownSkuError } from '../../src/stock.js';

function withItems(): Inventory {
  const inventory = new Inventory();
  inventory.add(createItem({ sku: 'BOX-001', name: 'Box', priceCents: 200, quantity: 8 }));
  inventory.add(createItem({ sku: 'TAP-002', name: 'Tape', priceCents: 350, quantity: 0 }));
  return inventory;
}

describe('stock movements (acceptance)', () => {
  it('restock adds and returns the new quantity', () => {
    const inventory = withItems();
    expect(restock(inventory, 'TAP-002', 3)).toBe(3);
    expect(restock(inventory, 'TAP-002', 40)).toBe(43);
    expect(inventory.get('TAP-002')?.quantity).toBe(43);
  });
  it('sell subtracts, down to exactly zero', () => {
    const inventory = withItems();
    expect(sell(inventory, 'BOX-001', 3)).toBe(5);
    expect(sell(inventory, 'BOX-001', 5)).toBe(0);
    expect(inventory.get('BOX-001')?.quantity).toBe(0);
  });
  it('leaves other items and other fields alone', () => {
    const inventory = withItems();
    sell(inventory, 'BOX-001', 2);
    expect(inventory.get('BOX-001')).toEqual({ sku: 'BOX-001', name: 'Box', priceCents: 200, quantity: 6 });
    expect(inventory.get('TAP-002')?.quantity).toBe(0);
    expect(inventory.size).toBe(2);
  });
  it('overselling throws OutOfStockError and changes nothing', () => {
    const inventory = withItems();
    expect(() => sell(inventory, 'BOX-001', 9)).toThrow(OutOfStockError);
    expect(() => sell(inventory, 'TAP-002', 1)).toThrow(OutOfStockError);
    expect(inventory.get('BOX-001')?.quantity).toBe(8);
  });
  it('unknown SKUs throw UnknownSkuError for both', () => {
    const inventory = withItems();
    expect(() => sell(inventory, 'NOP-404', 1)).toThrow(UnknownSkuError);
    expect(() => restock(inventory, 'NOP-404', 1)).toThrow(UnknownSkuError);
    expect(inventory.size).toBe(2);
  });
  it.each([0, -2, 2.5, Number.NaN])('amount %s is a RangeError and changes nothing', (amount) => {
    const inventory = withItems();
    expect(() => restock(inventory, 'BOX-001', amount)).toThrow(RangeError);
    expect(() => sell(inventory, 'BOX-001', amount)).toThrow(RangeError);
    expect(inventory.get('BOX-001')?.quantity).toBe(8);
  });
  it('errors are Error subclasses with distinct types', () => {
    const inventory = withItems();
    try {
      sell(inventory, 'BOX-001', 100);
    } catch (error) {
      expect(error).toBeInstanceOf(Error);
      expect(error).not.toBeInstanceOf(UnknownSkuError);
    }
  });
});
