import { describe, expect, it } from 'vitest';
import { render } from 'svelte/server';
import CheckReport from './CheckReport.svelte';
import { i18n } from '../lib/i18n.svelte';
import type { Report } from '../lib/check.svelte';

const report = (since?: string): Report => ({
  from: '2026-09-01', to: '2026-11-30', prefix: 'WS', orders: 3, snelstartOrders: 3, findings: [], differences: 0,
  totals: [], shopTotal: '0', snelstartTotal: '0', withLedger: true, since,
});

// The import never reads an order before Vanaf datum/tijd; a period that
// starts before it says so, on screen and in the print view (both show
// this report), in the user's language.
describe('Controle: a period that starts before Vanaf datum/tijd', () => {
  it('says the orders before it are not imported and not counted', () => {
    i18n.lang = 'nl';
    const nl = render(CheckReport, { props: { report: report('2026-10-15T09:30') } }).body;
    expect(nl).toContain('data-testid="check-since"');
    expect(nl).toContain('De periode begint vóór ‘Vanaf datum/tijd’ (15-10-2026 09:30): orders van vóór dat moment leest S-Connect bewust niet in, en ze tellen in deze controle niet mee.');
    i18n.lang = 'en';
    const en = render(CheckReport, { props: { report: report('2026-10-15T09:30') } }).body;
    expect(en).toContain('The period starts before ‘Vanaf datum/tijd’ (15/10/2026 09:30): S-Connect does not import orders from before that moment');
    i18n.lang = 'nl';
  });
  it('says nothing when the period starts at or after it', () => {
    expect(render(CheckReport, { props: { report: report() } }).body).not.toContain('check-since');
  });
});
