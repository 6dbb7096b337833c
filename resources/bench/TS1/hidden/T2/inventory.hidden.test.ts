import { describe, expect, it } from 'vitest';
import { DuplicateSkuError, Inventory } from '../../src/inventory.js';
import { createItem } from '../../src/item.js';

const item = (sku: string, quantity = 1) => createItem({ sku, name: `Item ${sku}`, priceCents: 100, quantity });

describe('Inventory (acceptance)', () => {
  it('starts empty', () => {
    const inventory = new Inventory();
    expect(inventory.size).toBe(0);
    expect(inventory.list()).toEqual([]);
    expect(inventory.get('AAA-001')).toBeUndefined();
  });
  it('lists every item sorted by SKU whatever the insertion order', () => {
    const inventory = new Inventory();
    for (const sku of ['ZED-100', 'ABC-999', 'MNO-500', 'ABC-100']) inventory.add(item(sku));
    expect(inventory.list().map((entry) => entry.sku)).toEqual(['ABC-100', 'ABC-999', 'MNO-500', 'ZED-100']);
    expect(inventory.size).toBe(4);
  });
  it('throws DuplicateSkuError and keeps the first item', () => {
    const inventory = new Inventory();
    inventory.add(item('DUP-001', 5));
    expect(() => inventory.add(item('DUP-001', 9))).toThrow(DuplicateSkuError);
    expect(inventory.get('DUP-001')?.quantity).toBe(5);
    expect(inventory.size).toBe(1);
  });
  it('removes only what is there and updates the size', () => {
    const inventory = new Inventory();
    inventory.add(item('AAA-001'));
    inventory.add(item('BBB-002'));
    expect(inventory.remove('CCC-003')).toBe(false);
    expect(inventory.remove('AAA-001')).toBe(true);
    expect(inventory.size).toBe(1);
    expect(inventory.list().map((entry) => entry.sku)).toEqual(['BBB-002']);
    inventory.add(item('AAA-001'));
    expect(inventory.size).toBe(2);
  });
  it('keeps its own copy of added items', () => {
    const inventory = new Inventory();
    const mutable = { ...item('CPY-001', 3) };
    inventory.add(mutable);
    (mutable as { quantity: number }).quantity = 50;
    expect(inventory.get('CPY-001')?.quantity).toBe(3);
  });
  it('hands out copies from get and list', () => {
    const inventory = new Inventory();
    inventory.add(item('CPY-002', 3));
    (inventory.list()[0] as { quantity: number }).quantity = 77;
    (inventory.get('CPY-002') as { name: string }).name = 'changed';
    expect(inventory.get('CPY-002')).toEqual({ sku: 'CPY-002', name: 'Item CPY-002', priceCents: 100, quantity: 3 });
  });
});
