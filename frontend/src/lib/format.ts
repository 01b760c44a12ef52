// Money and dates as the user's language writes them — Dutch € 1.234,56 and
// 28-11-2026 14:05, English €1,234.56 and 28/11/2026 14:05 — whatever the
// locale of the computer or browser. Amounts stay decimal strings: they are
// rounded and grouped as text, never through a floating-point number.

const pad = (n: number) => String(n).padStart(2, '0');

/** An amount ("1234.5", "-0.125") as money in lang, rounded half away from zero to cents. */
export function money(value: string | number | null | undefined, lang: string): string {
  if (value === null || value === undefined || value === '') return '';
  const text = String(value).trim();
  const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(text);
  if (!m || (m[2] === '' && !m[3])) return text;
  const [, sign, whole, frac = ''] = m;
  let cents = BigInt(whole || '0') * 100n + BigInt((frac + '00').slice(0, 2));
  if ((frac[2] ?? '0') >= '5') cents += 1n;
  const negative = sign === '-' && cents > 0n;
  const [group, point] = lang === 'en' ? [',', '.'] : ['.', ','];
  const units = (cents / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, group);
  const amount = units + point + pad(Number(cents % 100n));
  if (lang === 'en') return (negative ? '-' : '') + '€' + amount;
  return '€ ' + (negative ? '-' : '') + amount;
}

/** A plain decimal with the language's decimal sign, for CSV ("1234,50"). */
export function decimal(value: string, lang: string): string {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(value.trim());
  if (!m) return value;
  return m[1] + m[2] + (m[3] ? (lang === 'en' ? '.' : ',') + m[3] : '');
}

function toDate(value: string | Date | null | undefined): Date | null {
  if (!value) return null;
  const d = value instanceof Date ? value : new Date(value);
  return isNaN(d.getTime()) || d.getFullYear() <= 1 ? null : d;
}

/** A day: 28-11-2026 (nl), 28/11/2026 (en); empty for none. */
export function date(value: string | Date | null | undefined, lang: string): string {
  const d = toDate(value);
  if (!d) return '';
  const sep = lang === 'en' ? '/' : '-';
  return [pad(d.getDate()), pad(d.getMonth() + 1), d.getFullYear()].join(sep);
}

/** A moment, to the minute, in this computer's time zone: 28-11-2026 14:05. */
export function dateTime(value: string | Date | null | undefined, lang: string): string {
  const d = toDate(value);
  return d ? `${date(d, lang)} ${pad(d.getHours())}:${pad(d.getMinutes())}` : '';
}

/** A short day for a chart's axis: 28-11 or 28/11. */
export function dayMonth(iso: string, lang: string): string {
  const [, m, d] = iso.split('-');
  return d + (lang === 'en' ? '/' : '-') + m;
}

/** A stored date-time setting ("2026-11-28T14:05") as the user reads it. */
export function storedToText(stored: string, lang: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(stored);
  if (!m) return stored;
  const sep = lang === 'en' ? '/' : '-';
  return `${m[3]}${sep}${m[2]}${sep}${m[1]} ${m[4]}:${m[5]}`;
}

const validDay = (y: number, mo: number, d: number) => mo >= 1 && mo <= 12 && d >= 1 && d <= new Date(y, mo, 0).getDate();

/**
 * What the user typed as a date and time, as stored ("2026-11-28T14:05"),
 * or null when it is not one. Day first, with - / or . between (28-11-2026
 * 14:05, 1/2/2026 9:30, a day alone is midnight); the stored form itself is
 * accepted too.
 */
export function parseDateTime(text: string): string | null {
  const s = text.trim();
  let y: number, mo: number, d: number, h = 0, mi = 0;
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2}))?$/.exec(s);
  if (m) {
    [y, mo, d] = [+m[1], +m[2], +m[3]];
  } else {
    m = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?:,?\s+(\d{1,2})[:.](\d{2}))?$/.exec(s);
    if (!m) return null;
    [d, mo, y] = [+m[1], +m[2], +m[3]];
  }
  if (m[4] !== undefined) [h, mi] = [+m[4], +m[5]];
  if (!validDay(y, mo, d) || h > 23 || mi > 59) return null;
  return `${y}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}`;
}

/** A time of day as typed (7:30, 07.30) as stored ("07:30"), or null. */
export function parseTime(text: string): string | null {
  const m = /^(\d{1,2})[:.](\d{2})$/.exec(text.trim());
  if (!m || +m[1] > 23 || +m[2] > 59) return null;
  return `${pad(+m[1])}:${m[2]}`;
}
