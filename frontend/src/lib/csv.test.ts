import { describe, expect, it } from 'vitest';
import { csvAmount, csvDate, toCsv } from './csv';

interface Row { name: string; total: string; day: string }
const rows: Row[] = [
  { name: 'Anna de Vries', total: '1234.50', day: '2026-11-08T12:00:00Z' },
  { name: 'Bakkerij "Het Korenaar"; Zwolle', total: '-3.10', day: '' },
  { name: '=SOM(A1)', total: '0.00', day: '2026-01-02T12:00:00Z' },
];

describe('toCsv', () => {
  it('writes Dutch CSV with ; and decimal commas, English with , and points', () => {
    for (const [lang, want] of [
      ['nl', 'Klant;Totaal;Datum\r\nAnna de Vries;1234,50;08-11-2026\r\n"Bakkerij ""Het Korenaar""; Zwolle";-3,10;\r\n\'=SOM(A1);0,00;02-01-2026\r\n'],
      ['en', 'Klant,Totaal,Datum\r\nAnna de Vries,1234.50,08/11/2026\r\n"Bakkerij ""Het Korenaar""; Zwolle",-3.10,\r\n\'=SOM(A1),0.00,02/01/2026\r\n'],
    ]) {
      const csv = toCsv(rows, [
        { title: 'Klant', value: (r) => r.name },
        { title: 'Totaal', value: (r) => csvAmount(r.total, lang) },
        { title: 'Datum', value: (r) => csvDate(r.day, lang) },
      ], lang);
      expect(csv).toBe('\ufeff' + want);
    }
  });
});
