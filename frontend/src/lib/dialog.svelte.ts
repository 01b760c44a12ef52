// Promise-based prompt and confirm shown by Dialog.svelte: the window's own
// dialogs, in the program's language (not the browser's).
export interface DialogState {
  kind: 'prompt' | 'confirm';
  text: string;
  value: string;
  resolve: (v: string | null) => void;
}

export const dialog = $state<{ current: DialogState | null }>({ current: null });

export function prompt(text: string, value = ''): Promise<string | null> {
  return new Promise((resolve) => (dialog.current = { kind: 'prompt', text, value, resolve }));
}

export async function confirm(text: string): Promise<boolean> {
  const r = await new Promise<string | null>((resolve) => (dialog.current = { kind: 'confirm', text, value: '', resolve }));
  return r !== null;
}

export function close(result: string | null): void {
  const d = dialog.current;
  dialog.current = null;
  d?.resolve(result);
}
