import { expect } from 'chai';
import { forTests, LOCALES, loadMessages, localeFromAcceptLanguage, translator } from '../../src/i18n.js';
import { safeLocalPath } from '../../src/paths.js';

describe('language negotiation', () => {
  it('Chinese by default and for any zh tag', () => {
    expect(localeFromAcceptLanguage(undefined)).to.equal('zh-CN');
    expect(localeFromAcceptLanguage('zh-TW,zh;q=0.9')).to.equal('zh-CN');
    expect(localeFromAcceptLanguage('fr-FR')).to.equal('zh-CN');
  });
  it('English when preferred', () => {
    expect(localeFromAcceptLanguage('en-GB,en;q=0.9,zh;q=0.5')).to.equal('en');
    expect(localeFromAcceptLanguage('zh;q=0.4,en;q=0.8')).to.equal('en');
  });
});

describe('translators', () => {
  it('one per locale; a message without values is remembered, values are interpolated every time', () => {
    const en = translator('en');
    expect(translator('en')).to.equal(en);
    expect(en('calendar.caption', { year: 2026 })).to.equal('Recorded days in 2026');
    expect(en('calendar.caption', { year: 2027 })).to.equal('Recorded days in 2027');
    const plain = en('calendar.caption');
    expect(en('calendar.caption', {})).to.equal(plain);
    expect(translator('zh-CN')('calendar.caption', { year: 2026 })).to.contain('2026');
    expect(translator('zh-CN')('calendar.caption', { year: 2026 })).not.to.equal('Recorded days in 2026');
  });
});

/** Every string message of a locale, by its dotted key. */
function messagesOf(tree: Record<string, unknown>, prefix = ''): Array<[string, string]> {
  return Object.entries(tree).flatMap(
    ([k, v]): Array<[string, string]> =>
      typeof v === 'string'
        ? [[`${prefix}${k}`, v]]
        : v && typeof v === 'object' && !Array.isArray(v)
          ? messagesOf(v as Record<string, unknown>, `${prefix}${k}.`)
          : [],
  );
}

describe('messages with values filled directly', () => {
  it('every message of both locales with placeholders reads exactly as i18next makes it', () => {
    let direct = 0;
    let nested = 0;
    for (const locale of LOCALES) {
      const t = translator(locale);
      const reference = forTests.i18next(locale);
      const messages = loadMessages(locale);
      for (const [key, message] of messagesOf(messages)) {
        const names = [...message.matchAll(/\{\{\s*-?\s*([^}]+?)\s*\}\}/g)].map((m) => m[1] as string);
        if (names.length === 0) {
          // A message without placeholders asked with values (an eligibility check that is met): the values are
          // ignored.
          expect(t(key, { open: 0 }), `${locale} ${key}`).to.equal(reference(key, { open: 0 }));
          continue;
        }
        // A placeholder inside a nesting, $t(prefix.{{name}}), takes each key under that prefix in turn (and one
        // that is not there); any other takes a text or a number.
        const nests = new Map(
          [...message.matchAll(/\$t\(([A-Za-z0-9_.]*)\{\{([A-Za-z_][A-Za-z0-9_]*)\}\}\)/g)].map((m) => [
            m[2] as string,
            m[1] as string,
          ]),
        );
        const choices = names.map((n, i): Array<string | number> => {
          const prefix = nests.get(n);
          if (prefix === undefined) return [i % 2 ? 1000 + i : `«${n}·${i}»`];
          const under = prefix
            .split('.')
            .filter(Boolean)
            .reduce<unknown>((o, k) => (o as Record<string, unknown>)?.[k], messages);
          return [...Object.keys((under ?? {}) as object), 'no_such_key'];
        });
        const longest = Math.max(...choices.map((c) => c.length));
        for (let round = 0; round < longest; round++) {
          // Plus a value no placeholder names (ignored, as i18next ignores it).
          const values = {
            ...Object.fromEntries(names.map((n, i) => [n, choices[i]?.[round % (choices[i]?.length ?? 1)]])),
            unused: 7,
          };
          expect(t(key, values), `${locale} ${key} ${JSON.stringify(values)}`).to.equal(
            reference(key, values),
          );
          const template = forTests.templateOf(locale, key);
          if (template && forTests.filled(template, values) !== undefined) direct += 1;
        }
        if (nests.size > 0) nested += 1;
      }
    }
    // Most are filled directly (the rest went to i18next and were compared above too), nestings included.
    expect(direct).to.be.greaterThan(250);
    expect(nested).to.be.greaterThan(10);
  });

  it('agrees with i18next on counts, missing values, unused values, i18next options and values of other types', () => {
    const en = translator('en');
    const reference = forTests.i18next('en');
    for (const values of [
      { year: 2026, count: 2 },
      { year: 2026, context: 'male' },
      {},
      { other: 'x' },
      { year: 2026, extra: 'x' },
      { year: { y: 1 } },
      { year: null },
      { year: Number.NaN },
    ]) {
      expect(en('calendar.caption', values), JSON.stringify(values)).to.equal(
        reference('calendar.caption', values),
      );
    }
    const template = forTests.templateOf('en', 'calendar.caption');
    expect(template).to.deep.equal({
      locale: 'en',
      texts: ['Recorded days in ', ''],
      names: ['year'],
      nests: [null],
      plural: false,
    });
    // A count for a key without plural forms is a value like any other (the reference agrees, above).
    expect(forTests.filled(template as NonNullable<typeof template>, { year: 2026, count: 1 })).to.equal(
      forTests.i18next('en')('calendar.caption', { year: 2026, count: 1 }),
    );
    expect(forTests.filled(template as NonNullable<typeof template>, { year: 2026, context: 'x' })).to.equal(
      undefined,
    );
    // A count is an ordinary value for a key without plural forms (the header's inbox badge), in both languages.
    for (const locale of LOCALES) {
      const badge = forTests.templateOf(locale, 'inbox.badge');
      expect(badge?.plural).to.equal(false);
      for (const count of [0, 1, 2, 17]) {
        expect(forTests.filled(badge as NonNullable<typeof badge>, { count })).to.equal(
          forTests.i18next(locale)('inbox.badge', { count }),
        );
        expect(forTests.filled(badge as NonNullable<typeof badge>, { count: String(count) })).to.equal(
          undefined,
        );
      }
    }
    // A key with plural forms leaves the count to i18next.
    expect(
      forTests.filled(
        { locale: 'en', texts: ['', ' x'], names: ['count'], nests: [null], plural: true },
        { count: 1 },
      ),
    ).to.equal(undefined);
    expect(forTests.templateOf('en', 'no.such.key')).to.equal(null);
  });
});

describe('return-to paths', () => {
  it('keeps local paths and refuses anything that leaves the site', () => {
    expect(safeLocalPath('/townships/3?x=1')).to.equal('/townships/3?x=1');
    for (const bad of [
      '//evil.example',
      'https://evil.example',
      '/\\evil',
      'javascript:alert(1)',
      '',
      42,
      '/a\r\nb',
    ]) {
      expect(safeLocalPath(bad)).to.equal('/');
    }
  });
});
