import { describe, expect, it } from 'vitest';
import { applyChoice, changes, evalExpr, flatTabs, isRequired, tabHasError, tabPathOf, type Schema } from './schema';

const schema: Schema = {
  placeholders: [],
  tabs: [{ id: 'a', sections: [] }, { id: 'b', sub: [{ id: 'b1' }, { id: 'b2' }] }, { id: 'c', panel: 'x' }],
  settings: [
    {
      key: 'proto', kind: 'choice', scope: 'profile', default: 'ftp',
      choices: [
        { value: 'ftp', sets: { port: '21', tls: 'none' } },
        { value: 'implicit', sets: { port: '990', tls: 'implicit' } },
        { value: 'sftp', sets: { port: '22', tls: 'ssh' } },
      ],
    },
    { key: 'port', kind: 'port', scope: 'profile', default: '21' },
    { key: 'tls', kind: 'choice', scope: 'profile', default: 'none', readOnly: true },
    { key: 'pw', kind: 'secret', scope: 'profile', default: '' },
    { key: 'code', kind: 'relatiecode', scope: 'profile', default: '', required: true, showIf: { key: 'mode', in: ['manual'] } },
    { key: 'group', kind: 'pick', scope: 'profile', default: '', required: true, requiredIf: { key: 'art', in: ['create'] } },
  ],
};

describe('evalExpr', () => {
  it('matches keys, all and any like the Go side', () => {
    const v = { a: 'x', b: 'y' };
    expect(evalExpr(undefined, v)).toBe(true);
    expect(evalExpr({ key: 'a', in: ['x', 'z'] }, v)).toBe(true);
    expect(evalExpr({ key: 'a', in: ['z'] }, v)).toBe(false);
    expect(evalExpr({ key: 'missing', in: [''] }, v)).toBe(true);
    expect(evalExpr({ all: [{ key: 'a', in: ['x'] }, { key: 'b', in: ['n'] }] }, v)).toBe(false);
    expect(evalExpr({ any: [{ key: 'a', in: ['n'] }, { key: 'b', in: ['y'] }] }, v)).toBe(true);
    expect(evalExpr({ any: [{ key: 'a', in: ['n'] }] }, v)).toBe(false);
  });
});

describe('applyChoice', () => {
  it('moves a default port along with the protocol and always the read-only follower', () => {
    const v = applyChoice(schema, 'proto', 'sftp', { proto: 'ftp', port: '21', tls: 'none' });
    expect(v).toMatchObject({ proto: 'sftp', port: '22', tls: 'ssh' });
  });
  it('keeps a port the user typed', () => {
    const v = applyChoice(schema, 'proto', 'implicit', { proto: 'ftp', port: '2121', tls: 'none' });
    expect(v).toMatchObject({ proto: 'implicit', port: '2121', tls: 'implicit' });
  });
});

describe('changes', () => {
  it('sends changed values and typed secrets only', () => {
    const saved = { proto: 'ftp', port: '21', tls: 'none', pw: '' };
    expect(changes(schema, saved, { ...saved })).toEqual({});
    expect(changes(schema, saved, { ...saved, port: '2121', pw: 'geheim', tls: 'ssh' })).toEqual({ port: '2121', pw: 'geheim' });
  });
});

describe('isRequired', () => {
  it('needs the setting shown and its condition true', () => {
    const code = schema.settings[4];
    const group = schema.settings[5];
    expect(isRequired(code, { mode: 'auto' })).toBe(false);
    expect(isRequired(code, { mode: 'manual' })).toBe(true);
    expect(isRequired(group, { art: 'existing' })).toBe(false);
    expect(isRequired(group, { art: 'create' })).toBe(true);
  });
});

describe('flatTabs', () => {
  it('lists sub-tabs in place of their parent', () => {
    expect(flatTabs(schema.tabs).map((x) => x.path.join('/'))).toEqual(['a', 'b/b1', 'b/b2', 'c']);
  });
});

describe('tabPathOf and tabHasError', () => {
  const tabs = [
    { id: 'a', sections: [{ id: 's', keys: ['x'] }] },
    { id: 'b', sub: [{ id: 'b1', sections: [{ id: 't', keys: ['y'] }] }, { id: 'b2', sections: [{ id: 'u', keys: ['z'] }] }] },
  ];
  it('finds the tab a setting is on, sub-tabs included', () => {
    expect(tabPathOf(tabs, 'x')).toEqual(['a']);
    expect(tabPathOf(tabs, 'z')).toEqual(['b', 'b2']);
    expect(tabPathOf(tabs, 'nowhere')).toBeNull();
  });
  it('marks a tab whose settings (or sub-tabs’) have an error', () => {
    expect(tabHasError(tabs[1], { z: 'fout' })).toBe(true);
    expect(tabHasError(tabs[0], { z: 'fout' })).toBe(false);
    expect(tabHasError(tabs[1].sub![0], { z: 'fout' })).toBe(false);
  });
});
