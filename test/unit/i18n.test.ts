import { expect } from 'chai';
import { localeFromAcceptLanguage, translator } from '../../src/i18n.js';
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
