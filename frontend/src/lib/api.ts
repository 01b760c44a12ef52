// The one way the UI talks to the program: through the Wails bindings in the
// desktop window, or through the HTTP adapter of `s-connect serve` in a
// browser. Both reach the same Go methods and fail with the same ApiError.

export interface ApiError {
  code: string;
  step?: string;
  message: string;
  fields?: { key: string; code: string; message: string }[];
  fix?: string; // where to put it right: a setting key or a tab id
}

export class CallError extends Error {
  readonly info: ApiError;
  constructor(info: ApiError) {
    super(info.message || info.code);
    this.info = info;
  }
}

type Fn = (...args: unknown[]) => Promise<unknown>;

interface WailsWindow {
  go?: { app?: Record<string, Record<string, Fn>> };
  runtime?: { EventsOn(name: string, cb: (data: unknown) => void): () => void };
}

const w = (typeof window === 'undefined' ? {} : window) as WailsWindow;

const TOKEN_KEY = 's-connect-token';

/** The serve token: taken from ?token= once, then kept for this tab only. */
export function token(loc: { search: string } = location, store: Storage = sessionStorage): string {
  const fromURL = new URLSearchParams(loc.search).get('token');
  if (fromURL) {
    store.setItem(TOKEN_KEY, fromURL);
    return fromURL;
  }
  return store.getItem(TOKEN_KEY) ?? '';
}

/** Removes the token from the address bar (it stays in sessionStorage). */
export function hideToken(): void {
  const url = new URL(location.href);
  if (url.searchParams.has('token')) {
    token();
    url.searchParams.delete('token');
    history.replaceState(null, '', url.pathname + url.search + url.hash);
  }
}

export function isDesktop(): boolean {
  return !!w.go?.app;
}

function toCallError(e: unknown): CallError {
  if (e instanceof CallError) return e;
  if (e && typeof e === 'object' && 'code' in e) return new CallError(e as ApiError);
  return new CallError({ code: 'internal', message: String(e ?? '') });
}

/** Calls a bound method by "Service.Method", e.g. call('Profiles.List'). */
export async function call<T>(name: string, ...args: unknown[]): Promise<T> {
  const [svc, method] = name.split('.');
  const bound = w.go?.app?.[svc]?.[method];
  if (bound) {
    try {
      return (await bound(...args)) as T;
    } catch (e) {
      throw toCallError(e);
    }
  }
  let res: Response;
  try {
    res = await fetch('/api/call', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-SConnect-Token': token() },
      body: JSON.stringify({ name: 'app.' + name, args }),
    });
  } catch {
    throw new CallError({ code: 'network', message: '' });
  }
  let body: { result?: T; error?: ApiError };
  try {
    body = await res.json();
  } catch {
    throw new CallError({ code: 'internal', message: '' });
  }
  if (body.error) throw new CallError(body.error);
  return body.result as T;
}

/** In the desktop window: the tab and profile it was opened on (a clicked
 * notification's), else null. */
export async function startView(): Promise<{ view: string; profileId: number } | null> {
  const start = w.go?.app?.WindowView?.Start;
  return start ? ((await start()) as { view: string; profileId: number }) : null;
}

type Listener = (data: unknown) => void;
const listeners = new Map<string, Set<Listener>>();
let source: EventSource | null = null;

/** Listens to a program event; returns a function that stops listening. */
export function on(name: string, cb: Listener): () => void {
  if (w.runtime) return w.runtime.EventsOn(name, cb);
  if (!listeners.has(name)) listeners.set(name, new Set());
  listeners.get(name)!.add(cb);
  if (!source && typeof EventSource !== 'undefined') {
    source = new EventSource('/api/events?token=' + encodeURIComponent(token()));
    source.onmessage = (m) => {
      const ev = JSON.parse(m.data) as { name: string; data: unknown };
      listeners.get(ev.name)?.forEach((l) => l(ev.data));
    };
  }
  return () => listeners.get(name)?.delete(cb);
}
