// Every language of the desk is complete: the same keys as English (beside the type check, which
// cannot see plural categories), every plural category the language's rules use, the same
// placeholders as English, and no long English sentence copied in untranslated.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LANGUAGES } from '../../src/web/i18n/languages.ts';
import { ar } from '../../src/web/i18n/locales/ar.ts';
import { en } from '../../src/web/i18n/locales/en.ts';
import { es } from '../../src/web/i18n/locales/es.ts';
import { fr } from '../../src/web/i18n/locales/fr.ts';
import { ru } from '../../src/web/i18n/locales/ru.ts';
import { vi } from '../../src/web/i18n/locales/vi.ts';
import { zh } from '../../src/web/i18n/locales/zh.ts';

const RESOURCES: Record<string, unknown> = { en, fr, vi, ar, zh, ru, es };
const PLURAL = /_(zero|one|two|few|many|other)$/;

function flatten(tree: unknown, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree as Record<string, unknown>)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else for (const [kk, vv] of flatten(v, key)) out.set(kk, vv);
  }
  return out;
}

const placeholders = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
const english = flatten(en);
const pluralBases = new Set(
  [...english.keys()].filter((k) => PLURAL.test(k)).map((k) => k.replace(PLURAL, '')),
);

test('every language of the menu has a resource', () => {
  assert.deepEqual(LANGUAGES.map((l) => l.code).sort(), Object.keys(RESOURCES).sort());
});

for (const [code, resource] of Object.entries(RESOURCES)) {
  if (code === 'en') continue;
  const own = flatten(resource);

  test(`${code}: has every key of English and no other`, () => {
    const singular = (keys: Iterable<string>) => new Set([...keys].map((k) => k.replace(PLURAL, '_#')));
    const missing = [...singular(english.keys())].filter((k) => !singular(own.keys()).has(k));
    const extra = [...singular(own.keys())].filter((k) => !singular(english.keys()).has(k));
    assert.deepEqual(missing, [], `missing in ${code}`);
    assert.deepEqual(extra, [], `unknown in ${code}`);
  });

  test(`${code}: every plural category of its rules is written`, () => {
    const categories = new Intl.PluralRules(code).resolvedOptions().pluralCategories;
    const gaps = [...pluralBases].flatMap((base) =>
      categories.filter((c) => !own.has(`${base}_${c}`)).map((c) => `${base}_${c}`),
    );
    assert.deepEqual(gaps, []);
  });

  test(`${code}: the same placeholders as English`, () => {
    const wrong = [...own].filter(([key, text]) => {
      const ref = english.get(key) ?? english.get(key.replace(PLURAL, '_other'));
      if (ref === undefined) return false;
      // A language may spell out "one" or "two" instead of printing the count.
      const need = placeholders(ref).filter((p) => !(p === 'count' && PLURAL.test(key)));
      return need.some((p) => !placeholders(text).includes(p));
    });
    assert.deepEqual(
      wrong.map(([k]) => k),
      [],
    );
  });

  test(`${code}: no English sentence copied in untranslated`, () => {
    const words = (text: string) => text.replace(/\{\{\w+\}\}/g, '').match(/\p{L}{2,}/gu) ?? [];
    const copied = [...own].filter(([key, text]) => english.get(key) === text && words(text).length > 2);
    assert.deepEqual(
      copied.map(([k]) => k),
      [],
    );
  });
}
