import { afterEach, describe, expect, it, vi } from 'vitest';
import { call, CallError, token } from './api';

function memoryStorage(): Storage {
  const m = new Map<string, string>();
  return {
    getItem: (k) => m.get(k) ?? null,
    setItem: (k, v) => void m.set(k, v),
    removeItem: (k) => void m.delete(k),
    clear: () => m.clear(),
    key: () => null,
    get length() { return m.size; },
  };
}

describe('token', () => {
  it('takes the token from the URL once and keeps it for the tab', () => {
    const store = memoryStorage();
    expect(token({ search: '?token=abc' }, store)).toBe('abc');
    expect(token({ search: '' }, store)).toBe('abc');
    expect(token({ search: '' }, memoryStorage())).toBe('');
  });
});

describe('call over HTTP', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('posts the Wails name with the token and returns the result', async () => {
    const fetch = vi.fn(async () => new Response(JSON.stringify({ result: [1, 2] })));
    vi.stubGlobal('fetch', fetch);
    vi.stubGlobal('location', { search: '?token=t1' });
    vi.stubGlobal('sessionStorage', memoryStorage());
    await expect(call('Profiles.List')).resolves.toEqual([1, 2]);
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/call');
    expect(JSON.parse(init.body as string)).toEqual({ name: 'app.Profiles.List', args: [] });
    expect((init.headers as Record<string, string>)['X-SConnect-Token']).toBe('t1');
  });

  it('throws the typed error the program sent', async () => {
    const err = { code: 'invalid', message: 'Niet opgeslagen', fields: [{ key: 'shop.ftp.port', code: 'port', message: 'x' }] };
    vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify({ error: err }), { status: 422 })));
    vi.stubGlobal('location', { search: '' });
    vi.stubGlobal('sessionStorage', memoryStorage());
    const e = (await call('Settings.Save', 1, {}, []).catch((x) => x)) as CallError;
    expect(e).toBeInstanceOf(CallError);
    expect(e.info).toEqual(err);
  });

  it('reports a lost connection as code network', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => { throw new TypeError('Failed to fetch'); }));
    vi.stubGlobal('location', { search: '' });
    vi.stubGlobal('sessionStorage', memoryStorage());
    const e = (await call('Profiles.List').catch((x) => x)) as CallError;
    expect(e.info.code).toBe('network');
  });
});
