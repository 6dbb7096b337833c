import { describe, expect, it } from 'vitest';
import { toCsv } from '../../src/csv.js';
import { Inventory } from '../../src/inventory.js';
import { createItem } from '../../src/item.js';

function inventoryOf(rows: Array<[string, string, number, number]>): Inventory {
  const inventory = new Inventory();
  for (const [sku, name, priceCents, quantity] of rows) inventory.add(createItem({ sku, name, priceCents, quantity }));
  return inventory;
}

describe('toCsv (acceptance)', () => {
  it('is just the header for an empty inventory', () => {
    expect(toCsv(new Inventory())).toBe('sku,name,quantity,price\n');
  });
  it('orders lines by SKU and formats prices with formatCents', () => {
    const csv = toCsv(inventoryOf([['ZZZ-999', 'Last', 100000, 1], ['AAA-000', 'First', 7, 250], ['MMM-555', 'Middle', 0, 0]]));
    expect(csv).toBe('sku,name,quantity,price\nAAA-000,First,250,0.07\nMMM-555,Middle,0,0.00\nZZZ-999,Last,1,1000.00\n');
  });
  it('quotes names with commas, quotes or line breaks and doubles their quotes', () => {
    const csv = toCsv(inventoryOf([['AAA-001', 'a,b', 100, 1], ['BBB-002', 'say "hi"', 100, 1], ['CCC-003', 'two\nlines', 100, 1], ['DDD-004', 'plain name', 100, 1]]));
    expect(csv.split('\n').slice(1, 3)).toEqual(['AAA-001,"a,b",1,1.00', 'BBB-002,"say ""hi""",1,1.00']);
    expect(csv).toContain('CCC-003,"two\nlines",1,1.00\n');
    expect(csv).toContain('\nDDD-004,plain name,1,1.00\n');
  });
  it('ends every line, including the last, with a newline', () => {
    const csv = toCsv(inventoryOf([['AAA-001', 'x', 1, 1]]));
    expect(csv.endsWith('1,0.01\n')).toBe(true);
    expect(csv.split('\n')).toHaveLength(3);
  });
});
