// Controle on Uitvoering (B3): the shop's orders of a period against
// SnelStart's verkooporders. The program does the work (Tasks.Check) and
// writes the CSV (Tasks.CheckCSV), so the window and `s-connect check`
// give the same figures; this keeps the period, the progress and the
// report, and opens the print view.
import { call, on } from './api';
import { form } from './form.svelte';
import { t } from './i18n.svelte';
import { saveCsv } from './csv';
import { parseDateTime, storedToText } from './format';

export interface Amounts { total: string; excl: string; rates: { rate: string; excl: string; vat: string }[] }
export interface Finding {
  kind: string; info: boolean; orderId: number; reference: string; date: string; customer: string;
  nummers?: number[]; shop?: Amounts; snelstart?: Amounts; text?: string;
}
export interface RateTotal { rate: string; shopExcl: string; shopVat: string; snelstartExcl: string; snelstartVat: string }
export interface Report {
  from: string; to: string; prefix: string; orders: number; snelstartOrders: number; findings: Finding[] | null;
  differences: number; totals: RateTotal[] | null; shopTotal: string; snelstartTotal: string; withLedger: boolean;
  /** Vanaf datum/tijd ("2026-11-28T14:05") when the period starts before it. */
  since?: string;
}

const iso = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

/** A day as the language writes it (28-11-2026, 28/11/2026) from 2026-11-28. */
export const dayText = (day: string, lang: string) => storedToText(day + 'T00:00', lang).slice(0, 10);

/** A typed day, day first (28-11-2026, 28/11/2026, 2026-11-28), as 2026-11-28; null when it is none. */
export const parseDay = (text: string) => parseDateTime(text)?.slice(0, 10) ?? null;

class Check {
  // The month so far: the period a bookkeeper checks most. Typed day first,
  // as every date in the window (the browser's date field follows its own
  // locale).
  from = $state(dayText(iso(new Date(new Date().getFullYear(), new Date().getMonth(), 1)), 'nl'));
  to = $state(dayText(iso(new Date()), 'nl'));
  busy = $state(false);
  progress = $state<{ orders: number; percent: number } | null>(null);
  report = $state<Report | null>(null);
  /** The profile the report is of. */
  reportFor = $state<number | null>(null);
  printing = $state(false);

  /** The report of the profile on screen: after a switch to another
   * profile its report is not shown, exported or printed as this one's. */
  get shown(): Report | null {
    return this.reportFor === form.profileId ? this.report : null;
  }

  /** Listens to the program's progress; returns a function that stops listening. */
  listen(): () => void {
    return on('check:progress', (d) => {
      const p = d as { profileId: number; orders: number; percent: number };
      if (p.profileId === form.profileId && this.busy) this.progress = { orders: p.orders, percent: p.percent };
    });
  }

  async run(): Promise<void> {
    const [from, to] = [parseDay(this.from), parseDay(this.to)];
    for (const [text, day] of [[this.from, from], [this.to, to]] as [string, string | null][]) {
      if (day === null) {
        form.notice = { kind: 'error', text: text.trim() ? t('check.period.dateTyped', text.trim()) : t('check.period.missing') };
        return;
      }
    }
    if (from === null || to === null) return;
    const profileId = form.profileId;
    this.busy = true;
    this.progress = { orders: 0, percent: 0 };
    this.report = null;
    this.printing = false;
    form.notice = null;
    try {
      this.report = await call<Report>('Tasks.Check', profileId, from, to);
      this.reportFor = profileId;
    } catch (e) {
      form.showError(e);
    } finally {
      this.busy = false;
      this.progress = null;
    }
  }

  async exportCsv(): Promise<void> {
    const report = this.shown;
    if (!report) return;
    try {
      const text = await call<string>('Tasks.CheckCSV', report);
      saveCsv(text, `${t('check.fileName')}-${report.from}-${report.to}.csv`);
    } catch (e) {
      form.showError(e);
    }
  }
}

export const check = new Check();
