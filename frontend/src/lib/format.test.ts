import { describe, expect, it } from 'vitest';
import { date, dateTime, dayMonth, decimal, money, parseDateTime, parseTime, storedToText } from './format';

describe('money', () => {
  it('writes euros the Dutch way in Dutch and the English way in English', () => {
    const cases: [string, string, string][] = [
      ['1234.56', '€ 1.234,56', '€1,234.56'],
      ['326.02', '€ 326,02', '€326.02'],
      ['0', '€ 0,00', '€0.00'],
      ['1234567.5', '€ 1.234.567,50', '€1,234,567.50'],
      ['-12.3', '€ -12,30', '-€12.30'],
      ['999.995', '€ 1.000,00', '€1,000.00'], // rounded half away from zero
      ['0.004', '€ 0,00', '€0.00'],
      ['-0.004', '€ 0,00', '€0.00'], // no minus on zero
      ['-2.345', '€ -2,35', '-€2.35'],
      ['12345678901234567.89', '€ 12.345.678.901.234.567,89', '€12,345,678,901,234,567.89'], // beyond a float's precision
    ];
    for (const [value, nl, en] of cases) {
      expect(money(value, 'nl'), value).toBe(nl);
      expect(money(value, 'en'), value).toBe(en);
    }
  });
  it('leaves what is not an amount alone', () => {
    expect(money('', 'nl')).toBe('');
    expect(money(null, 'nl')).toBe('');
    expect(money('abc', 'en')).toBe('abc');
  });
  it('writes a plain decimal with the language’s decimal sign', () => {
    expect(decimal('1234.50', 'nl')).toBe('1234,50');
    expect(decimal('1234.50', 'en')).toBe('1234.50');
    expect(decimal('-7', 'nl')).toBe('-7');
  });
});

describe('dates', () => {
  const moment = new Date(2026, 10, 8, 9, 5); // 8 November 2026, 09:05, local time
  it('write day first, whatever the computer’s locale', () => {
    expect(date(moment, 'nl')).toBe('08-11-2026');
    expect(date(moment, 'en')).toBe('08/11/2026');
    expect(dateTime(moment, 'nl')).toBe('08-11-2026 09:05');
    expect(dateTime(moment, 'en')).toBe('08/11/2026 09:05');
    expect(dateTime('2026-11-08T09:05', 'nl')).toBe('08-11-2026 09:05');
    expect(dayMonth('2026-11-08', 'nl')).toBe('08-11');
    expect(dayMonth('2026-11-08', 'en')).toBe('08/11');
  });
  it('show nothing for no moment or Go’s zero time', () => {
    expect(dateTime('', 'nl')).toBe('');
    expect(dateTime('0001-01-01T00:00:00Z', 'nl')).toBe('');
    expect(date('not a date', 'en')).toBe('');
  });
  it('show a stored date-time setting in the user’s order', () => {
    expect(storedToText('2020-01-31T07:30', 'nl')).toBe('31-01-2020 07:30');
    expect(storedToText('2020-01-31T07:30', 'en')).toBe('31/01/2020 07:30');
  });
});

describe('typed dates and times', () => {
  it('are read day first, as Dutch and English users type them', () => {
    const cases: [string, string | null][] = [
      ['28-11-2026 14:05', '2026-11-28T14:05'],
      ['28/11/2026 14:05', '2026-11-28T14:05'],
      ['1-2-2026 9:30', '2026-02-01T09:30'],
      ['01.02.2026 09.30', '2026-02-01T09:30'],
      ['28-11-2026', '2026-11-28T00:00'],
      ['2020-01-01T00:00', '2020-01-01T00:00'],
      ['2020-01-01 23:59', '2020-01-01T23:59'],
      ['29-02-2024 12:00', '2024-02-29T12:00'],
      ['29-02-2026 12:00', null], // no 29 February in 2026
      ['31-04-2026 12:00', null],
      ['12/31/2026 10:00', null], // month first is not read as a date
      ['28-11-2026 24:00', null],
      ['28-11-26 14:05', null],
      ['morgen', null],
    ];
    for (const [text, want] of cases) expect(parseDateTime(text), text).toBe(want);
  });
  it('read a time of day', () => {
    expect(parseTime('7:30')).toBe('07:30');
    expect(parseTime('07.30')).toBe('07:30');
    expect(parseTime('23:59')).toBe('23:59');
    expect(parseTime('24:00')).toBeNull();
    expect(parseTime('7 uur')).toBeNull();
  });
});
