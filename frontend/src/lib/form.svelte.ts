// The state of the configuration window: the profiles, the chosen profile's
// settings as loaded and as edited, and what the last save said.
import { call, CallError, on } from './api';
import { applyChoice, changes, tabPathOf, type Schema, type Values } from './schema';
import { setLanguage, t } from './i18n.svelte';

export interface Profile {
  id: number;
  name: string;
}

interface View {
  profileId: number;
  values: Values;
  secretsSet: Record<string, boolean>;
  missing: { key: string; code: string }[];
}

/** A message in the footer; fix is where to put it right (a setting key or a tab id). */
export type Notice = { kind: 'ok' | 'error' | 'info'; text: string; fix?: string } | null;

// The settings that name something in SnelStart: looked up after a save.
const codeKeys = ['sales.shippingArticle', 'sales.discountArticle', 'sales.paymentFeeArticle', 'sales.differenceArticle',
  'sales.defaultArticle', 'customers.defaultCode', 'customers.processing'];

/** A bridge S-Connect could not remove from an unreachable server. */
export interface LeftBridge { server: string; folder: string }

/** Says which bridge folders the user must remove by hand. */
export function leftBehindText(left: LeftBridge[]): string {
  return t('profile.leftBehind', left.map((l) => `${l.server}: ${l.folder}`).join(', '));
}

/** The outcome of a connection test, shown on the tab it was run from. */
export interface Report {
  tab: string;
  method: string;
  trust?: { kind: string; value: string; fingerprint: string };
  ok: boolean;
  summary: string;
  steps: { step: string; ok: boolean; warn?: boolean; message: string }[];
}

class Form {
  schema = $state<Schema | null>(null);
  profiles = $state<Profile[]>([]);
  profileId = $state<number | null>(null);
  saved = $state<Values>({});
  values = $state<Values>({});
  secretsSet = $state<Record<string, boolean>>({});
  clear = $state<string[]>([]);
  errors = $state<Record<string, string>>({});
  warnings = $state<Record<string, string>>({}); // saved, but SnelStart does not know it
  missing = $state<string[]>([]);
  notice = $state<Notice>(null);
  busy = $state(false);
  report = $state<Report | null>(null);

  pending = $derived(this.schema ? changes(this.schema, this.saved, this.values) : {});
  dirty = $derived(Object.keys(this.pending).length > 0 || this.clear.length > 0);

  setting(key: string) {
    return this.schema?.settings.find((s) => s.key === key);
  }

  async init(): Promise<void> {
    this.schema = await call<Schema>('Settings.Schema');
    await this.loadProfiles();
    const first = this.profiles[0];
    if (first) await this.select(first.id);
    on('profiles:changed', () => void this.loadProfiles());
    on('language:changed', (lang) => setLanguage(String(lang)));
  }

  async loadProfiles(): Promise<void> {
    this.profiles = await call<Profile[]>('Profiles.List');
  }

  /** Loads a profile's settings, dropping any unsaved edits. */
  async select(id: number): Promise<void> {
    const view = await call<View>('Settings.Get', id);
    // Another profile's test report and warnings do not belong to this one.
    const other = id !== this.profileId;
    if (other) {
      this.report = null;
      this.warnings = {};
    }
    this.profileId = id;
    this.saved = { ...view.values };
    this.values = { ...view.values };
    this.secretsSet = view.secretsSet ?? {};
    this.missing = (view.missing ?? []).map((m) => m.key);
    this.clear = [];
    this.errors = {};
    setLanguage(view.values['ui.language']);
  }

  set(key: string, value: string): void {
    const s = this.setting(key);
    this.values = s?.kind === 'choice' && this.schema ? applyChoice(this.schema, key, value, this.values) : { ...this.values, [key]: value };
    if (this.errors[key]) {
      const { [key]: _, ...rest } = this.errors;
      this.errors = rest;
    }
  }

  toggleClear(key: string): void {
    this.clear = this.clear.includes(key) ? this.clear.filter((k) => k !== key) : [...this.clear, key];
  }

  async save(): Promise<boolean> {
    if (this.profileId === null) return false;
    if (!this.dirty) {
      this.notice = { kind: 'info', text: t('save.nothing') };
      return true;
    }
    this.busy = true;
    this.notice = { kind: 'info', text: t('save.busy') };
    const checkCodes = Object.keys(this.pending).some((k) => codeKeys.includes(k));
    try {
      const res = await call<{ missing: { key: string }[]; leftBehind?: LeftBridge[] }>(
        'Settings.Save', this.profileId, this.pending, this.clear);
      await this.select(this.profileId);
      await this.loadProfiles();
      const missing = (res.missing ?? []).map((m) => t(`setting.${m.key}.label`));
      this.notice = missing.length
        ? { kind: 'info', text: t('save.savedMissing', missing.join(', ')) }
        : { kind: 'ok', text: t('save.saved') };
      if (checkCodes) await this.checkCodes();
      if (res.leftBehind?.length) this.notice = { kind: 'error', text: leftBehindText(res.leftBehind) };
      return true;
    } catch (e) {
      this.showError(e);
      return false;
    } finally {
      this.busy = false;
    }
  }

  /** Runs a connection test and shows its steps; a pass reloads what it found. */
  async test(tab: string, method: string): Promise<void> {
    if (this.profileId === null) return;
    this.report = null;
    this.notice = { kind: 'info', text: t('test.busy') };
    try {
      const r = await call<Omit<Report, 'tab' | 'method'>>(method, this.profileId);
      this.report = { ...r, tab, method };
      this.notice = { kind: r.ok ? 'ok' : 'error', text: r.summary };
      if (r.ok) await this.select(this.profileId);
    } catch (e) {
      this.showError(e);
    }
  }

  /**
   * Looks up the article codes and the standaard klantcode in SnelStart: a
   * code SnelStart does not have is a warning beside its field (the save
   * stands).
   */
  async checkCodes(): Promise<void> {
    try {
      const found = await call<{ key: string; message: string }[]>('Connections.CheckCodes', this.profileId);
      this.warnings = Object.fromEntries(found.map((w) => [w.key, w.message]));
      if (found.length > 0) {
        this.notice = { kind: 'info', text: t('save.savedWarnings', this.tabNames(found.map((w) => w.key))), fix: found[0].key };
      }
    } catch {
      this.warnings = {}; // SnelStart not reachable now: nothing to say about the codes
    }
  }

  /** The names of the tabs these settings are on ("Verkopen, Klanten"). */
  tabNames(keys: string[]): string {
    const tabs = new Set(keys.map((k) => tabPathOf(this.schema?.tabs ?? [], k)?.at(-1)).filter((x) => !!x));
    return [...tabs].map((id) => t('tab.' + id)).join(', ');
  }

  /** Shows an error from a call: per field when it has fields, else as a notice. */
  showError(e: unknown): void {
    const info = e instanceof CallError ? e.info : { code: 'internal', message: '' };
    const fields = info.fields ?? [];
    this.errors = Object.fromEntries(fields.map((f) => [f.key, f.message]));
    let text = info.message || t('err.' + info.code);
    // The marked fields may be on another tab: say which.
    if (fields.length > 0 && this.tabNames(fields.map((f) => f.key))) text = t('err.invalidOn', this.tabNames(fields.map((f) => f.key)));
    this.notice = { kind: 'error', text, fix: info.fix ?? fields[0]?.key };
  }
}

export const form = new Form();
