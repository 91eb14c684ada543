import { expect } from 'chai';
import { loadMessages } from '../../src/i18n.js';

function keys(obj: unknown, prefix = ''): string[] {
  if (typeof obj !== 'object' || obj === null) return [prefix];
  return Object.entries(obj).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

describe('locales', () => {
  it('English has exactly the keys Chinese has (every string translated)', () => {
    const zh = keys(loadMessages('zh-CN')).sort();
    const en = keys(loadMessages('en')).sort();
    expect(
      en.filter((k) => !zh.includes(k)),
      'only in English',
    ).to.deep.equal([]);
    expect(
      zh.filter((k) => !en.includes(k)),
      'missing in English',
    ).to.deep.equal([]);
  });

  it('no message is empty', () => {
    for (const locale of ['zh-CN', 'en'] as const) {
      const messages = loadMessages(locale);
      const empty = keys(messages).filter((k) => {
        const value = k
          .split('.')
          .reduce<unknown>((o, part) => (o as Record<string, unknown>)[part], messages);
        return typeof value !== 'string' || value.trim() === '';
      });
      expect(empty, locale).to.deep.equal([]);
    }
  });
});

describe('locale files', () => {
  it('each area file exists in both languages', async () => {
    const fs = await import('node:fs');
    const zh = fs.readdirSync('locales/zh-CN').sort();
    const en = fs.readdirSync('locales/en').sort();
    expect(en).to.deep.equal(zh);
  });
});
