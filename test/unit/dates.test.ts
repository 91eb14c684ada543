import { expect } from 'chai';
import { systemClock } from '../../src/domain/clock.js';
import { addDays, addMonths, ageOn, formatDate, formatMonth, inPeriod } from '../../src/domain/dates.js';

describe('dates as cadres write them', () => {
  it('months as 2019.07 in Chinese and 2019-07 in English', () => {
    expect(formatMonth('2019-07-15', 'zh-CN')).to.equal('2019.07');
    expect(formatMonth('2019-07-15', 'en')).to.equal('2019-07');
    expect(formatDate('2019-07-05', 'zh-CN')).to.equal('2019.07.05');
    expect(formatMonth(null, 'zh-CN')).to.equal('');
  });

  it('age in whole years at a date', () => {
    expect(ageOn('1985-06-15', '2026-06-14')).to.equal(40);
    expect(ageOn('1985-06-15', '2026-06-15')).to.equal(41);
  });

  it('adds months keeping the day where the month allows', () => {
    expect(addMonths('2024-01-31', 1)).to.equal('2024-02-29');
    expect(addMonths('2023-11-15', 14)).to.equal('2025-01-15');
    expect(addMonths('2023-03-15', -6)).to.equal('2022-09-15');
    expect(addDays('2024-02-28', 2)).to.equal('2024-03-01');
  });

  it('periods are half-open: the end date is no longer in force', () => {
    expect(inPeriod('2020-01-01', '2020-01-01', '2021-01-01')).to.equal(true);
    expect(inPeriod('2021-01-01', '2020-01-01', '2021-01-01')).to.equal(false);
    expect(inPeriod('2030-01-01', '2020-01-01', null)).to.equal(true);
  });
});

describe('systemClock.today', () => {
  it('is the date in China Standard Time (Asia/Shanghai), as Intl gives it', () => {
    const shanghai = new Intl.DateTimeFormat('en-CA', {
      timeZone: 'Asia/Shanghai',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    const realNow = Date.now;
    try {
      // Around midnight in Beijing (16:00 UTC), at the turn of a year and a leap day, and now.
      for (const at of [
        '2026-11-29T15:59:59.999Z',
        '2026-11-29T16:00:00.000Z',
        '2026-12-31T16:30:00.000Z',
        '2028-02-28T16:00:00.000Z',
        new Date(realNow()).toISOString(),
      ]) {
        Date.now = () => Date.parse(at);
        expect(systemClock.today(), at).to.equal(shanghai.format(new Date(at)));
      }
    } finally {
      Date.now = realNow;
    }
  });
});
