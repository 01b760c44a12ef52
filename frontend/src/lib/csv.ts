// The orders of Uitvoering as a CSV file a spreadsheet opens as it is: in
// Dutch with ; between the fields and a decimal comma (as Dutch Excel
// expects), in English with , and a decimal point.
import { date, decimal } from './format';

export interface CsvColumn<T> {
  title: string;
  value: (row: T) => string;
}

function cell(v: string, sep: string): string {
  // A field that starts like a formula is kept text (=, +, -, @ in a name).
  if (/^[=+\-@\t\r]/.test(v) && !/^-?\d+([.,]\d+)?$/.test(v)) v = "'" + v;
  return /["\n\r]/.test(v) || v.includes(sep) ? '"' + v.replaceAll('"', '""') + '"' : v;
}

/** The rows as CSV text, with a byte-order mark so spreadsheets read UTF-8. */
export function toCsv<T>(rows: T[], columns: CsvColumn<T>[], lang: string): string {
  const sep = lang === 'en' ? ',' : ';';
  const lines = [columns.map((c) => cell(c.title, sep)).join(sep)];
  for (const r of rows) lines.push(columns.map((c) => cell(c.value(r), sep)).join(sep));
  return '\ufeff' + lines.join('\r\n') + '\r\n';
}

/** A date column's value (day only) and an amount column's, for CSV. */
export const csvDate = (v: string | null, lang: string) => date(v, lang);
export const csvAmount = (v: string, lang: string) => (v ? decimal(v, lang) : '');

/** Offers CSV text as a file to save. */
export function saveCsv(text: string, name: string): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}
