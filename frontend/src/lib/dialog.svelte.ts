// Promise-based questions shown by Dialog.svelte: the window's own dialogs,
// in the program's language. Every answer is a verb — the one that does it
// (Verwijderen, Wijzigingen negeren) and Terug — never OK/Annuleren.
export interface DialogState {
  kind: 'prompt' | 'confirm';
  text: string;
  value: string;
  yes: string; // the verb that does it
  danger: boolean;
  maxLen: number; // prompt: longer is refused with the limit, never cut
  multiline: boolean;
  resolve: (v: string | null) => void;
}

export const dialog = $state<{ current: DialogState | null }>({ current: null });

export interface PromptOptions {
  yes: string;
  maxLen?: number;
  multiline?: boolean;
}

/** Asks for a text; null when the user goes back. */
export function prompt(text: string, value: string, opts: PromptOptions): Promise<string | null> {
  return new Promise((resolve) => (dialog.current = {
    kind: 'prompt', text, value, yes: opts.yes, danger: false, maxLen: opts.maxLen ?? 0, multiline: !!opts.multiline, resolve,
  }));
}

/** Asks whether to do yes; true when the user chose it. */
export async function confirm(text: string, yes: string, danger = false): Promise<boolean> {
  const r = await new Promise<string | null>((resolve) => (dialog.current = {
    kind: 'confirm', text, value: '', yes, danger, maxLen: 0, multiline: false, resolve,
  }));
  return r !== null;
}

export function close(result: string | null): void {
  const d = dialog.current;
  dialog.current = null;
  d?.resolve(result);
}

/** Whether a prompt's value is longer than its limit. */
export function tooLong(value: string, maxLen: number): boolean {
  return maxLen > 0 && [...value.trim()].length > maxLen;
}
