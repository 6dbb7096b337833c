import { describe, expect, it } from 'vitest';
import { Inventory } from '../../src/inventory.js';
import { createItem } from '../../src/item.js';
import { lowStock, stockValue } from '../../src/report.js';

function inventoryOf(rows: Array<[string, number, number]>): Inventory {
  const inventory = new Inventory();
  for (const [sku, priceCents, quantity] of rows) inventory.add(createItem({ sku, name: `n ${sku}`, priceCents, quantity }));
  return inventory;
}

describe('lowStock (acceptance)', () => {
  const inventory = inventoryOf([
    ['KLM-300', 10, 7],
    ['ABC-100', 10, 3],
    ['XYZ-900', 10, 3],
    ['DEF-200', 10, 0],
    ['GHI-250', 10, 4],
  ]);
  it('includes the threshold itself, fewest first then by SKU', () => {
    expect(lowStock(inventory, 4).map((item) => [item.sku, item.quantity])).toEqual([
      ['DEF-200', 0],
      ['ABC-100', 3],
      ['XYZ-900', 3],
      ['GHI-250', 4],
    ]);
  });
  it('returns nothing when everything is above the threshold', () => {
    expect(lowStock(inventoryOf([['AAA-001', 1, 5]]), 4)).toEqual([]);
    expect(lowStock(new Inventory(), 10)).toEqual([]);
  });
  it('returns whole items', () => {
    expect(lowStock(inventory, 0)).toEqual([{ sku: 'DEF-200', name: 'n DEF-200', priceCents: 10, quantity: 0 }]);
  });
  it('returns all items for a high threshold', () => {
    expect(lowStock(inventory, 1000)).toHaveLength(5);
  });
});

describe('stockValue (acceptance)', () => {
  it('sums price times quantity over every item', () => {
    expect(stockValue(inventoryOf([['AAA-001', 1999, 3], ['BBB-002', 1, 1], ['CCC-003', 500, 0]]))).toBe(5998);
  });
  it('is zero for an empty inventory', () => {
    expect(stockValue(new Inventory())).toBe(0);
  });
});
