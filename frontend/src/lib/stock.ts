// The stock export's result as the Go side sends it (app.StockView), and
// the pure helpers the stock views use: grouping, the guard's message, the
// option mapping.

export interface StockRow {
  productId: number;
  optionValueId?: number;
  code: string;
  name: string;
  old: number;
  new: number;
  snelstart?: string;
  reserved?: number;
  skip?: string;
  follows?: string;
  outcome?: string;
}

export interface Guard {
  on: boolean;
  managed: number;
  zeroed: number;
  lowered: number;
  oldTotal: number;
  newTotal: number;
  zeroPercent: number;
  dropPercent: number;
  tripped?: string;
  confirmed: boolean;
}

export interface StockView {
  runId?: number;
  preview: boolean;
  mode: string;
  counts: Record<string, number>;
  guard: Guard;
  blocked: boolean;
  written: number;
  rows: StockRow[];
}

/** The rows that change (or were written), and the others by reason. */
export function split(rows: StockRow[]): { changes: StockRow[]; left: [string, StockRow[]][] } {
  const changes: StockRow[] = [];
  const left = new Map<string, StockRow[]>();
  for (const r of rows) {
    if (!r.skip) {
      changes.push(r);
      continue;
    }
    if (!left.has(r.skip)) left.set(r.skip, []);
    left.get(r.skip)!.push(r);
  }
  return { changes, left: [...left.entries()] };
}

/** Fills {name} placeholders of a message with the guard's figures. */
export function guardText(template: string, g: Guard): string {
  const drop = g.oldTotal > 0 ? Math.round(((g.oldTotal - g.newTotal) * 100) / g.oldTotal) : 0;
  const figures: Record<string, number> = { ...g, drop } as unknown as Record<string, number>;
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in figures ? String(figures[k]) : m));
}

/** Reads articles.optionMap ("id=code" lines). */
export function parseOptionMap(value: string): Map<number, string> {
  const m = new Map<number, string>();
  for (const line of (value ?? '').split('\n')) {
    const at = line.indexOf('=');
    const id = Number(line.slice(0, at).trim());
    const code = line.slice(at + 1).trim();
    if (at > 0 && Number.isInteger(id) && id > 0 && code) m.set(id, code);
  }
  return m;
}

/** Writes articles.optionMap, ordered by option value id. */
export function formatOptionMap(m: Map<number, string>): string {
  return [...m.entries()].sort((a, b) => a[0] - b[0]).map(([id, code]) => `${id}=${code}`).join('\n');
}
