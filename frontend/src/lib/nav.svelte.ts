// Which tab is open, shared by the window and every link that leads to a
// setting: "Naar Verkopen › Artikelcode verzendkosten" opens that tab and
// marks that field.
import { form } from './form.svelte';
import { tabPathOf } from './schema';
import { t } from './i18n.svelte';

export const nav = $state<{ top: string; sub: Record<string, string>; focus: string | null }>({
  top: 'snelstart',
  sub: {},
  focus: null,
});

/** Opens a tab by its path (['mapping', 'sales']). */
export function openTab(path: string[]): void {
  nav.top = path[0];
  if (path[1]) nav.sub = { ...nav.sub, [path[0]]: path[1] };
}

/** Where fix is: a setting's tab path and the setting, or a tab's. */
export function place(fix: string): { path: string[]; key: string | null } | null {
  const tabs = form.schema?.tabs ?? [];
  const path = tabPathOf(tabs, fix);
  if (path) return { path, key: fix };
  for (const tab of tabs) {
    if (tab.id === fix) return { path: [tab.id], key: null };
    const sub = tab.sub?.find((s) => s.id === fix);
    if (sub) return { path: [tab.id, sub.id], key: null };
  }
  return null;
}

/** The words of a place: "Verkopen › Artikelcode verzendkosten". */
export function placeText(fix: string): string {
  const p = place(fix);
  if (!p) return '';
  const tab = t('tab.' + p.path[p.path.length - 1]);
  return p.key ? `${tab} › ${t(`setting.${p.key}.label`)}` : tab;
}

/** Opens the tab of fix and, for a setting, brings its field into view. */
export function goTo(fix: string): void {
  const p = place(fix);
  if (!p) return;
  openTab(p.path);
  nav.focus = p.key;
}
