import { describe, expect, it } from 'vitest';
import { check, dayText, parseDay, type Report } from './check.svelte';
import { form } from './form.svelte';

describe('Controle: the period typed day first', () => {
  it('reads a day as the languages write it, and the stored form', () => {
    expect(parseDay('1-9-2026')).toBe('2026-09-01');
    expect(parseDay('30/11/2026')).toBe('2026-11-30');
    expect(parseDay('2026-11-30')).toBe('2026-11-30');
  });
  it('refuses what is no day', () => {
    for (const s of ['31-02-2026', '2026-13-01', 'morgen', '', '11-30-2026']) expect(parseDay(s)).toBeNull();
  });
  it('shows a day the way the language writes it', () => {
    expect(dayText('2026-09-01', 'nl')).toBe('01-09-2026');
    expect(dayText('2026-09-01', 'en')).toBe('01/09/2026');
  });
});

describe('Controle: the report of the profile on screen', () => {
  it('shows, exports and prints no other profile\'s report', () => {
    const report = { from: '2026-09-01', to: '2026-09-30', findings: [], totals: [] } as unknown as Report;
    check.report = report;
    check.reportFor = 1;
    form.profileId = 1;
    expect(check.shown).toBe(report);
    form.profileId = 2;
    expect(check.shown).toBeNull();
  });
});
