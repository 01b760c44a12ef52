// The state of the Uitvoering tab: the tasks and their runs, the overview,
// the orders (searched and filtered), a run's progress and the preview.
import { call, on } from './api';
import { form } from './form.svelte';
import { t, countsText } from './i18n.svelte';
import { confirm, prompt } from './dialog.svelte';
import { fixOf, reasonText } from './holds';
import type { PreviewResult } from '../components/PreviewTable.svelte';
import type { StockView } from './stock';

export interface Run {
  id: number; task: string; trigger: string; startedAt: string; finishedAt: string | null;
  state: string; summary: string; held: number; fix: string; message: string; demo?: boolean;
  mode: string; // full (every order of the selection read), incremental (only new and changed ones), or '' (none read)
}
export interface TaskStatus { task: string; interval: string; nextRun: string; lastRun: Run | null; lastOk: Run | null }
export interface Entry {
  orderId: number; state: string; customer: string; relatiecode: number; nummer: number; total: string; reason: string;
  shopAdded: string; bookedAt: string | null; updatedAt: string; note: string; newCustomer: boolean; newArticles: string;
  attempts: number;
  credits?: Credit[]; // the order's credit orders (refunds)
}
/** A credit order of a refund, listed under its order. */
export interface Credit {
  reference: string; returnId: number; state: string; nummer: number; total: string; reason: string; updatedAt: string;
}
export interface Attempt { attempt: number; sentAt: string; payload: string; outcome: string; answer: string; answeredAt: string | null }
export interface Overview { bookedToday: number; bookedWeek: number; heldNow: number; days: { date: string; orders: number; revenue: string }[] }
export interface Progress { task: string; preview: boolean; done: number; total: number; more: boolean; orderId: number }

/** How many orders the table shows at once; CSV export takes them all. */
export const PAGE = 200;

class Execution {
  tasks = $state<TaskStatus[]>([]);
  history = $state<Run[]>([]);
  overview = $state<Overview | null>(null);
  orders = $state<Entry[]>([]);
  total = $state(0);
  search = $state('');
  filter = $state('');
  open = $state<number | null>(null); // the order whose detail is shown
  attempts = $state<Attempt[]>([]);
  busy = $state(''); // the task running or previewing
  full = $state(false); // the run going on is a Volledige controle
  progress = $state<Progress | null>(null);
  preview = $state<PreviewResult[] | null>(null);
  stockPreview = $state<StockView | null>(null);
  stockRun = $state<StockView | null>(null); // the stock part of the run just done, or of one chosen in the history
  acting = $state<number | null>(null); // the order an action is busy with

  /** Listens to the program; returns a function that stops listening. */
  listen(): () => void {
    const offSaved = on('settings:saved', () => void this.load());
    const offProgress = on('run:progress', (d) => {
      const p = d as Progress & { profileId: number };
      if (p.profileId === form.profileId && this.busy) this.progress = p;
    });
    return () => { offSaved(); offProgress(); };
  }

  async load(): Promise<void> {
    const id = form.profileId;
    if (id === null) return;
    try {
      [this.tasks, this.history, this.overview] = await Promise.all([
        call<TaskStatus[]>('Tasks.List', id), call<Run[]>('Tasks.History', id), call<Overview>('Tasks.Overview', id),
      ]);
      await this.loadOrders();
    } catch (e) {
      form.showError(e);
    }
  }

  query(limit = PAGE) {
    return { search: this.search, state: this.filter, limit };
  }

  /** Reads the orders for the search and filter; a failure is shown, not thrown. */
  async loadOrders(): Promise<void> {
    try {
      const page = await call<{ orders: Entry[]; total: number }>('Tasks.Orders', form.profileId, this.query());
      [this.orders, this.total] = [page.orders, page.total];
    } catch (e) {
      form.showError(e);
    }
  }

  /** Every order that matches the search and filter, for the CSV export. */
  async allOrders(): Promise<Entry[]> {
    return (await call<{ orders: Entry[] }>('Tasks.Orders', form.profileId, this.query(0))).orders;
  }

  /** Nu uitvoeren; with full (Volledige controle) every order of the selection is read. */
  // runNow reports whether a run took place: false when it was refused or
  // could not start (another run of the profile going on, say).
  async runNow(task: string, full = false): Promise<boolean> {
    this.start(task);
    this.full = full;
    let ran = false;
    try {
      const res = await call<{ run: Run; counts: Record<string, number>; warnings: string[] | null; stock?: StockView }>(
        full ? 'Tasks.RunFull' : 'Tasks.RunNow', form.profileId, task);
      this.stockRun = res.stock ?? null;
      const text = [res.run.message + ':', countsText(res.counts) + '.', ...(res.warnings ?? [])].join(' ');
      form.notice = { kind: res.run.state === 'ok' ? 'ok' : 'error', text };
      ran = true;
    } catch (e) {
      form.showError(e);
      if (form.notice) form.notice = { ...form.notice, text: t('run.outcome.failed', form.notice.text) };
    } finally {
      this.stop();
    }
    await this.load();
    return ran;
  }

  async showPreview(task: string): Promise<void> {
    this.start(task);
    try {
      if (task === 'ordersStock') {
        // The combined task also shows the stock the shop would get, planned
        // on the same import preview as the orders shown.
        const both = await call<{ orders: PreviewResult[]; stock: StockView }>('Tasks.PreviewStock', form.profileId);
        this.preview = both.orders;
        this.stockPreview = both.stock;
      } else {
        this.preview = await call<PreviewResult[]>('Tasks.Preview', form.profileId, task);
      }
      form.notice = null;
    } catch (e) {
      form.showError(e);
    } finally {
      this.stop();
    }
  }

  /** The stock part of a past run: what it wrote and what it left alone. */
  async showStock(runId: number): Promise<void> {
    try {
      this.stockRun = await call<StockView | null>('Tasks.StockResult', form.profileId, runId);
    } catch (e) {
      form.showError(e);
    }
  }

  private start(task: string) {
    this.busy = task;
    this.preview = this.stockPreview = this.stockRun = null;
    this.progress = null;
    form.notice = null;
  }

  private stop() {
    this.busy = '';
    this.full = false;
    this.progress = null;
  }

  async toggle(orderId: number): Promise<void> {
    if (this.open === orderId) {
      this.open = null;
      return;
    }
    this.open = orderId;
    this.attempts = [];
    try {
      this.attempts = (await call<{ attempts: Attempt[] }>('Tasks.Order', form.profileId, orderId)).attempts;
    } catch (e) {
      form.showError(e);
    }
  }

  /** *Opnieuw proberen*: this order, now, with the settings as they are. */
  async retry(orderId: number): Promise<void> {
    await this.act(orderId, async () => {
      const e = await call<Entry>('Tasks.Retry', form.profileId, orderId);
      const ok = e.state === 'confirmed';
      form.notice = ok
        ? { kind: 'ok', text: t('order.retried', String(e.nummer)) }
        : { kind: 'error', text: t('order.stillHeld', reasonText(e.reason)), fix: fixOf(e.reason) };
    });
  }

  /** *Handmatig afgehandeld*, with a note: never imported after. */
  async handled(orderId: number): Promise<void> {
    const note = await prompt(t('order.handledPrompt', String(orderId)), '', { yes: t('action.handled'), maxLen: 500, multiline: true });
    if (note === null) return;
    await this.act(orderId, async () => {
      await call('Tasks.Handled', form.profileId, orderId, note);
      form.notice = { kind: 'ok', text: t('order.handledDone', String(orderId)) };
    });
  }

  /** *Negeren*: not for SnelStart; never imported after. */
  async ignore(orderId: number): Promise<void> {
    if (!(await confirm(t('order.ignoreConfirm', String(orderId)), t('action.ignore')))) return;
    await this.act(orderId, async () => {
      await call('Tasks.Ignore', form.profileId, orderId);
      form.notice = { kind: 'ok', text: t('order.ignored', String(orderId)) };
    });
  }

  private async act(orderId: number, fn: () => Promise<void>) {
    this.acting = orderId;
    try {
      await fn();
    } catch (e) {
      form.showError(e);
    } finally {
      this.acting = null;
    }
    if (this.open === orderId) this.open = null;
    await this.load();
  }
}

export const execution = new Execution();
