// The setup assistant: the steps a new profile goes through, declared as
// data. A step shows the sections of a tab (the same settings, the same
// controls) or one of the assistant's own panels; every step can be
// skipped, and the tabs stay where they are.
import { form } from './form.svelte';
import type { Tab } from './schema';

export interface Step {
  id: string;
  tab?: string; // the tab whose sections the step shows
  sections?: string[]; // only these sections of it (all when absent)
  test?: string; // the connection test of the step
}

export const steps: Step[] = [
  { id: 'snelstart', tab: 'snelstart', test: 'Connections.TestSnelStart' },
  { id: 'opencart', tab: 'opencart', test: 'Connections.TestOpenCart',
    sections: ['opencartGeneral', 'opencartFTP', 'opencartShop', 'opencartDatabase'] },
  { id: 'mapping' },
  { id: 'preview' },
  { id: 'planning', tab: 'planning', sections: ['taskOrders', 'taskOrdersStock'] },
];

export const assistant = $state<{ open: boolean; step: number }>({ open: false, step: 0 });

/** Opens the assistant at its first step for the profile that is open. */
export function openAssistant(): void {
  form.report = null;
  assistant.step = 0;
  assistant.open = true;
}

export function closeAssistant(): void {
  assistant.open = false;
}

/** The part of the schema's tab a step shows. */
export function stepTab(step: Step, tabs: Tab[]): Tab | undefined {
  const tab = tabs.find((x) => x.id === step.tab);
  if (!tab || !step.sections) return tab;
  return { ...tab, sections: (tab.sections ?? []).filter((s) => step.sections!.includes(s.id)) };
}
