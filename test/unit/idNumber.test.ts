import { expect } from 'chai';
import {
  checkCharacter,
  isValidDate,
  makeIdNumber,
  maskIdNumber,
  parseIdNumber,
} from '../../src/domain/idNumber.js';

describe('ID numbers (GB 11643-1999)', () => {
  const today = '2026-11-15';

  it('accepts a number whose check character matches, with X upper-cased', () => {
    const r = parseIdNumber(' 11010519491231002x ', today);
    expect(r).to.deep.equal({
      ok: true,
      value: { idNumber: '11010519491231002X', birthDate: '1949-12-31', gender: 'female' },
    });
  });

  it('computes the check character with weights 7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2 mod 11', () => {
    expect(checkCharacter('11010519491231002')).to.equal('X');
    expect(checkCharacter('44052418800101001')).to.equal('4');
  });

  const refusals: Array<[string, string, string]> = [
    ['too short', '1101051949123100', 'length'],
    ['too long', '11010519491231002X1', 'length'],
    ['letters', '1101051949123100AX', 'characters'],
    [
      'impossible date 1990-02-30',
      makeIdNumber('110105', '1990-01-30', 1, 'male').replace('19900130', '19900230'),
      'birth_date',
    ],
    ['born in the future', '110105209901010015', 'birth_date'],
    ['wrong check digit', '110105194912310021', 'check_digit'],
  ];
  for (const [what, value, problem] of refusals) {
    it(`refuses ${what}`, () => {
      expect(parseIdNumber(value, today)).to.deep.equal({ ok: false, problem });
    });
  }

  it('tells gender from the sequence digit (odd = male)', () => {
    const male = makeIdNumber('990101', '1985-06-15', 12, 'male');
    const female = makeIdNumber('990101', '1985-06-15', 12, 'female');
    expect(parseIdNumber(male, today)).to.have.nested.property('value.gender', 'male');
    expect(parseIdNumber(female, today)).to.have.nested.property('value.gender', 'female');
  });

  it('masks the birth date in lists: 110105********002X', () => {
    expect(maskIdNumber('11010519491231002X')).to.equal('110105********002X');
  });

  it('knows real calendar dates', () => {
    expect(isValidDate('2024-02-29')).to.equal(true);
    expect(isValidDate('2023-02-29')).to.equal(false);
    expect(isValidDate('2023-13-01')).to.equal(false);
  });

  it('agrees with JavaScript dates on every month and day 00–99 of sample years, and refuses other shapes', () => {
    const byDate = (iso: string) => {
      const [y, mo, d] = iso.split('-').map(Number) as [number, number, number];
      const date = new Date(Date.UTC(y, mo - 1, d));
      return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
    };
    const two = (n: number) => String(n).padStart(2, '0');
    const differ: string[] = [];
    for (const y of [1899, 1900, 2023, 2024, 2100])
      for (let mo = 0; mo < 100; mo++)
        for (let d = 0; d < 100; d++) {
          const iso = `${y}-${two(mo)}-${two(d)}`;
          if (isValidDate(iso) !== byDate(iso)) differ.push(iso);
        }
    expect(differ).to.deep.equal([]);
    for (const odd of [
      '',
      '2020-1-01',
      '2020/01/01',
      ' 2020-01-01',
      '2020-01-01 ',
      '2020-0a-01',
      '0099-01-01',
    ])
      expect(isValidDate(odd), odd).to.equal(false);
  });
});
