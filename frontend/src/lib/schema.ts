// The settings declaration as the Go side sends it (backend/config), and the
// few pure rules the form applies while the user types. The same rules are
// applied again by the Go side on save; these only keep the form live.

export type Kind =
  | 'text' | 'secret' | 'secretFile' | 'bool' | 'int' | 'port' | 'choice' | 'datetime' | 'time'
  | 'url' | 'host' | 'path' | 'money' | 'template' | 'article' | 'pick' | 'idList' | 'rateMap'
  | 'readonly' | 'relatiecode' | 'optionMap';

export interface Expr {
  key?: string;
  in?: string[];
  all?: Expr[];
  any?: Expr[];
}

export interface Choice {
  value: string;
  sets?: Record<string, string>;
}

export interface Setting {
  key: string;
  kind: Kind;
  scope: 'profile' | 'program';
  default: string;
  choices?: Choice[];
  required?: boolean;
  requiredIf?: Expr;
  showIf?: Expr;
  min?: number;
  max?: number;
  maxLen?: number;
  pattern?: string;
  pickList?: string;
  readOnly?: boolean;
  advanced?: boolean;
}

export interface Section {
  id: string;
  keys: string[];
}

export interface Tab {
  id: string;
  sections?: Section[];
  sub?: Tab[];
  panel?: string;
  actions?: string[];
}

export interface Schema {
  settings: Setting[];
  tabs: Tab[];
  placeholders: string[];
}

export type Values = Record<string, string>;

/** Evaluates a condition the way config.Expr.Eval does. */
export function evalExpr(e: Expr | undefined, v: Values): boolean {
  if (!e) return true;
  if (e.key && !(e.in ?? []).includes(v[e.key] ?? '')) return false;
  if (e.all && !e.all.every((x) => evalExpr(x, v))) return false;
  if (e.any && e.any.length > 0 && !e.any.some((x) => evalExpr(x, v))) return false;
  return true;
}

export const isSecret = (s: Setting) => s.kind === 'secret' || s.kind === 'secretFile';

export const isVisible = (s: Setting, v: Values) => evalExpr(s.showIf, v);

export const isRequired = (s: Setting, v: Values) =>
  !!s.required && !s.readOnly && isVisible(s, v) && evalExpr(s.requiredIf, v);

/**
 * Sets a choice and the settings that follow it: a read-only follower always
 * (Versleuteling), an editable one (Poort) only while it still has the value
 * the previous choice gave it, so a port the user typed is kept.
 */
export function applyChoice(schema: Schema, key: string, next: string, v: Values): Values {
  const s = schema.settings.find((x) => x.key === key);
  const out = { ...v, [key]: next };
  if (!s?.choices) return out;
  const before = s.choices.find((c) => c.value === v[key])?.sets ?? {};
  const after = s.choices.find((c) => c.value === next)?.sets ?? {};
  for (const [k, val] of Object.entries(after)) {
    const follower = schema.settings.find((x) => x.key === k);
    if (follower?.readOnly || v[k] === '' || v[k] === before[k]) out[k] = val;
  }
  return out;
}

/** The values to send on save: what differs from the last load; secrets only when typed. */
export function changes(schema: Schema, saved: Values, current: Values): Values {
  const out: Values = {};
  for (const s of schema.settings) {
    if (s.readOnly) continue;
    const cur = current[s.key] ?? '';
    if (isSecret(s) ? cur !== '' : cur !== (saved[s.key] ?? '')) out[s.key] = cur;
  }
  return out;
}

/** Every settings tab in order, sub-tabs flattened, with the path to reach it. */
export function flatTabs(tabs: Tab[]): { path: string[]; tab: Tab }[] {
  const out: { path: string[]; tab: Tab }[] = [];
  for (const tab of tabs) {
    if (tab.sub) for (const sub of tab.sub) out.push({ path: [tab.id, sub.id], tab: sub });
    else out.push({ path: [tab.id], tab });
  }
  return out;
}

/** The path of the tab a setting is on (['mapping', 'sales']), or null. */
export function tabPathOf(tabs: Tab[], key: string): string[] | null {
  for (const { path, tab } of flatTabs(tabs)) {
    if (tab.sections?.some((s) => s.keys.includes(key))) return path;
  }
  return null;
}

/** Whether a tab (or one of its sub-tabs) holds a setting with an error. */
export function tabHasError(tab: Tab, errors: Record<string, string>): boolean {
  if (tab.sub) return tab.sub.some((s) => tabHasError(s, errors));
  return !!tab.sections?.some((s) => s.keys.some((k) => k in errors));
}
