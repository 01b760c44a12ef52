// The Dutch texts speak Dutch: no English word where Dutch users have their
// own, one word for the file S-Connect places in the shop (koppelbestand),
// and every message in both languages with the same placeholders.
import { describe, expect, it } from 'vitest';
import nl from './nl.json';
import en from './en.json';

// English words that crept into Dutch texts before, or would: each with the
// Dutch word to use.
const english: Record<string, string> = {
  run: 'uitvoering', runs: 'uitvoeringen', bridge: 'koppelbestand', store: 'winkel', stores: 'winkels',
  'multi-store': 'meerdere winkels', preview: 'voorbeeld', upload: 'plaatsen', login: 'inloggen', error: 'fout',
  errors: 'fouten', failed: 'mislukt', succeeded: 'geslaagd', settings: 'instellingen', save: 'opslaan',
  saved: 'opgeslagen', default: 'standaard', cancel: 'terug', ok: 'een werkwoord', click: 'klikken',
  download: 'downloaden', update: 'bijwerken', task: 'taak', tasks: 'taken', password: 'wachtwoord',
  customer: 'klant', held: 'vastgehouden', retry: 'opnieuw proberen', ignore: 'negeren', tab: 'tabblad',
  log: 'logbestand', file: 'bestand', folder: 'map', shop: 'webshop', key: 'sleutel',
};

// Names that are not words: the manual's own labels, products and standards.
const names = [/Ocp-Apim-Subscription-Key/g];

/** The words of a text, lower case; a compound with hyphens also gives its parts. */
function words(text: string): string[] {
  return (text.toLowerCase().match(/[a-zà-ÿ]+(?:-[a-zà-ÿ]+)*/g) ?? []).flatMap((w) => (w.includes('-') ? [w, ...w.split('-')] : [w]));
}

describe('Dutch texts', () => {
  it('use no English word where Dutch has its own', () => {
    const found: string[] = [];
    for (const [key, text] of Object.entries(nl as Record<string, string>)) {
      let plain = text;
      for (const n of names) plain = plain.replace(n, '');
      for (const word of words(plain)) {
        if (word in english) found.push(`${key}: “${word}” → ${english[word]}`);
      }
    }
    expect(found).toEqual([]);
  });

  it('catch an English word when one is there', () => {
    const sample = 'De run is gestopt; de bridge-bestanden staan op de server van een multi-store webshop.';
    expect(words(sample).filter((w) => w in english)).toEqual(['run', 'bridge', 'multi-store', 'store']);
  });

  it('have every message in English too, with the same placeholders', () => {
    const places = (s: string) => (s.match(/\{[a-z]+\}/g) ?? []).sort().join();
    const missing = Object.keys(nl).filter((k) => !(k in en));
    expect(missing).toEqual([]);
    const differ = Object.entries(nl as Record<string, string>)
      .filter(([k, v]) => places(v) !== places((en as Record<string, string>)[k] ?? ''))
      .map(([k]) => k);
    expect(differ).toEqual([]);
  });
});
