import { describe, expect, it } from 'vitest';
import { formatOptionMap, guardText, parseOptionMap, split, type Guard, type StockRow } from './stock';

const rows: StockRow[] = [
  { productId: 1, code: 'WIJN', name: 'Rode wijn', old: 3, new: 12, snelstart: '12.7', outcome: 'written' },
  { productId: 2, code: 'KAAS', name: 'Kaas; "oud"', old: 5, new: 5, skip: 'not_set' },
  { productId: 3, code: '', name: 'Glas', old: 7, new: 7, skip: 'no_code' },
  { productId: 4, optionValueId: 9, code: 'SHIRT-S', name: 'Shirt – Maat: S', old: 1, new: 0, snelstart: '2', reserved: 2 },
  { productId: 5, code: 'OUD', name: 'Oud', old: 9, new: 9, skip: 'not_set' },
];

describe('stock views', () => {
  it('splits the changes from what is left alone, by reason', () => {
    const { changes, left } = split(rows);
    expect(changes.map((r) => r.productId)).toEqual([1, 4]);
    expect(left.map(([reason, rs]) => [reason, rs.length])).toEqual([['not_set', 2], ['no_code', 1]]);
  });

  it('says the guard in figures', () => {
    const g: Guard = { on: true, managed: 40, zeroed: 9, lowered: 12, oldTotal: 200, newTotal: 50, zeroPercent: 20, dropPercent: 50, tripped: 'zero', confirmed: false };
    expect(guardText('{zeroed} van {managed} (meer dan {zeroPercent} %), totaal −{drop} %, {unknown}', g)).toBe('9 van 40 (meer dan 20 %), totaal −75 %, {unknown}');
  });

  it('reads and writes the option mapping', () => {
    const m = parseOptionMap('12=SHIRT-S\n  3 = MOK \nbad\n0=X\n7=');
    expect([...m.entries()]).toEqual([[12, 'SHIRT-S'], [3, 'MOK']]);
    m.set(5, 'SOK');
    expect(formatOptionMap(m)).toBe('3=MOK\n5=SOK\n12=SHIRT-S');
  });
});
