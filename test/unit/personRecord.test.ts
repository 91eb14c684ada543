import { expect } from 'chai';
import { pinyin } from 'pinyin-pro';
import { parseDateInput } from '../../src/domain/dateInput.js';
import { makeIdNumber, parseIdNumber } from '../../src/domain/idNumber.js';
import { nameKeys, surnameOf } from '../../src/domain/personName.js';
import {
  checkIdAgreement,
  entryVerdict,
  historyState,
  impactUntil,
  resultsFor,
  sanctionInForce,
  typeFitsPost,
} from '../../src/domain/personRecord.js';
import { checkPhoto, PHOTO_MAX_BYTES, sniffPhoto } from '../../src/domain/photo.js';

describe('the person record: pure rules', () => {
  describe('dates as cadres type them', () => {
    const cases: Array<[string, string | null, string | null]> = [
      ['2019.07', '2019-07-01', 'month'],
      ['2019-07', '2019-07-01', 'month'],
      ['2019.7', '2019-07-01', 'month'],
      ['2019年7月', '2019-07-01', 'month'],
      ['2019.07.15', '2019-07-15', 'day'],
      ['2019-07-15', '2019-07-15', 'day'],
      ['20190715', '2019-07-15', 'day'],
      ['201907', '2019-07-01', 'month'],
      ['2019.13', null, null],
      ['2019.02.30', null, null],
      ['1899.12', null, null],
      ['soon', null, null],
    ];
    for (const [raw, iso, precision] of cases)
      it(`${raw} → ${iso ?? 'refused'}`, () => {
        const parsed = parseDateInput(raw);
        expect(parsed?.iso ?? null).to.equal(iso);
        expect(parsed?.precision ?? null).to.equal(precision);
      });
  });

  describe('the ID number must agree with the birth month and gender typed on the form', () => {
    const id = makeIdNumber('110105', '1985-06-17', 3, 'male');
    const parsed = parseIdNumber(id, '2026-11-15');
    if (!parsed.ok) throw new Error('fixture');
    it('agrees with the month or the exact day', () => {
      expect(checkIdAgreement(parsed.value, { iso: '1985-06-01', precision: 'month' }, 'male')).to.deep.equal(
        [],
      );
      expect(checkIdAgreement(parsed.value, { iso: '1985-06-17', precision: 'day' }, 'male')).to.deep.equal(
        [],
      );
    });
    it('names the field that disagrees', () => {
      expect(
        checkIdAgreement(parsed.value, { iso: '1985-07-01', precision: 'month' }, 'female').map(
          (p) => p.field,
        ),
      ).to.deep.equal(['birthDate', 'gender']);
      expect(checkIdAgreement(parsed.value, { iso: '1985-06-18', precision: 'day' }, null)[0]?.key).to.equal(
        'birthMismatch',
      );
    });
  });

  describe('Q2: entry only into a vacancy (超编只出不进, 满编先出后进)', () => {
    const table: Array<[number, number, number, boolean]> = [
      [3, 2, 0, true],
      [3, 2, 1, false],
      [3, 3, 0, false],
      [3, 4, 0, false],
      [0, 0, 0, false],
    ];
    for (const [approved, occupied, reserved, ok] of table)
      it(`approved ${approved}, occupied ${occupied}, reserved ${reserved}: ${ok ? 'may enter' : 'refused'}`, () => {
        expect(entryVerdict({ approved, occupied, reserved }).ok).to.equal(ok);
      });
  });

  it('Q3: a post takes its own establishment types, a recorded cross-type post any', () => {
    expect(
      typeFitsPost('administrative', { establishmentTypes: ['administrative'], crossType: false }),
    ).to.equal(true);
    expect(
      typeFitsPost('institutional', { establishmentTypes: ['administrative'], crossType: false }),
    ).to.equal(false);
    expect(
      typeFitsPost('institutional', { establishmentTypes: ['administrative'], crossType: true }),
    ).to.equal(true);
  });

  it('history states: current, future, past, superseded (half-open periods)', () => {
    const today = '2026-11-15';
    expect(historyState({ validFrom: '2020-01-01', validTo: null, supersededAt: null }, today)).to.equal(
      'current',
    );
    expect(historyState({ validFrom: '2026-11-15', validTo: null, supersededAt: null }, today)).to.equal(
      'current',
    );
    expect(
      historyState({ validFrom: '2020-01-01', validTo: '2026-11-15', supersededAt: null }, today),
    ).to.equal('past');
    expect(historyState({ validFrom: '2027-01-01', validTo: null, supersededAt: null }, today)).to.equal(
      'future',
    );
    expect(
      historyState({ validFrom: '2020-01-01', validTo: null, supersededAt: new Date() }, today),
    ).to.equal('superseded');
  });

  it('assessment results follow the establishment type (civil servants 称职, institutional staff 合格)', () => {
    expect(resultsFor('administrative')).to.include('competent').and.not.include('qualified');
    expect(resultsFor('civil_service_institutional')).to.include('basically_competent');
    expect(resultsFor('institutional')).to.include('qualified').and.not.include('competent');
    expect(resultsFor('worker')).to.include('unqualified');
    expect(resultsFor(null)).to.have.length(8);
  });

  describe('sanction impact periods come from the kind (configuration)', () => {
    it('记过 12 months from the decision: 2024-06-15 → 2025-06-15', () => {
      expect(impactUntil({ decidedOn: '2024-06-15', closedOn: null, impactMonths: 12 })).to.equal(
        '2025-06-15',
      );
    });
    it('a month-end decision ends at the month end: 2024-08-31 + 6 → 2025-02-28', () => {
      expect(impactUntil({ decidedOn: '2024-08-31', closedOn: null, impactMonths: 6 })).to.equal(
        '2025-02-28',
      );
    });
    it('an open investigation blocks until closed', () => {
      const open = { decidedOn: '2026-01-01', closedOn: null, impactMonths: null };
      expect(impactUntil(open)).to.equal(null);
      expect(sanctionInForce(open, '2030-01-01')).to.equal(true);
      expect(sanctionInForce({ ...open, closedOn: '2026-03-01' }, '2026-03-01')).to.equal(false);
    });
    it('in force from the decision to the day before the end', () => {
      const s = { decidedOn: '2024-06-15', closedOn: null, impactMonths: 12 };
      expect(sanctionInForce(s, '2024-06-14')).to.equal(false);
      expect(sanctionInForce(s, '2025-06-14')).to.equal(true);
      expect(sanctionInForce(s, '2025-06-15')).to.equal(false);
    });
  });

  describe('photos are recognised by their bytes', () => {
    it('JPEG and PNG signatures; anything else refused', () => {
      expect(sniffPhoto(Buffer.from([0xff, 0xd8, 0xff, 0xdb, 0]))).to.equal('image/jpeg');
      expect(sniffPhoto(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).to.equal(
        'image/png',
      );
      expect(sniffPhoto(Buffer.from('GIF89a'))).to.equal(null);
      expect(sniffPhoto(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).to.equal(null);
    });
    it('empty and too large are their own problems', () => {
      expect(checkPhoto(Buffer.alloc(0))).to.deep.equal({ ok: false, problem: 'missing' });
      const big = Buffer.alloc(PHOTO_MAX_BYTES + 1);
      big.set([0xff, 0xd8, 0xff]);
      expect(checkPhoto(big)).to.deep.equal({ ok: false, problem: 'too_large' });
    });
  });

  describe('name keys (pinyin-pro, cnchar) for search and 姓氏笔画 order', () => {
    it('full pinyin, initials, strokes of one- and two-character surnames', () => {
      expect(nameKeys('张三')).to.deep.equal({ pinyin: 'zhangsan', initials: 'zs', surnameStrokes: 7 });
      expect(nameKeys('欧阳修远')).to.deep.equal({
        pinyin: 'ouyangxiuyuan',
        initials: 'oyxy',
        surnameStrokes: 14,
      });
      expect(nameKeys('单田芳').pinyin).to.equal('shantianfang');
      expect(nameKeys('吕梁').pinyin).to.equal('lvliang');
      expect(surnameOf('司马')).to.equal('司');
      expect(surnameOf('公孙策')).to.equal('公孙');
    });
    it('drops what is not a letter (middle dots of transliterated names, spaces)', () => {
      expect(nameKeys('阿依古丽·买买提').pinyin).to.match(/^[a-z]+$/);
      expect(nameKeys(' 王 芳 ').initials).to.equal('wf');
    });
    it("initials as pinyin-pro's first-letter pattern gives them, surname readings and 一/不 sandhi included", () => {
      for (const name of [
        '曾国藩',
        '单田芳',
        '解缙',
        '朴树',
        '区家麟',
        '王一一',
        '李不凡',
        '绿绿',
        '长孙无忌',
        '张𠀾',
      ]) {
        const first = pinyin(name, {
          toneType: 'none',
          type: 'array',
          surname: 'head',
          v: true,
          pattern: 'first',
        })
          .join('')
          .toLowerCase()
          .replace(/[^a-z0-9]/g, '');
        expect(nameKeys(name).initials, name).to.equal(first);
      }
    });
  });
});
