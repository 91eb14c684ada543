import { expect } from 'chai';
import { localeFromAcceptLanguage } from '../../src/i18n.js';
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
