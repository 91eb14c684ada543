import { expect } from 'chai';
import { packageCalendarDays } from '../../seeds/calendar.js';
import {
  addWorkingDays,
  calendarOf,
  isWorkingDay,
  periodEnd,
  workingDaysBetween,
} from '../../src/domain/workingDays.js';

/** The official calendar as the package carries it (2004–2026), as the database is seeded. */
const official = calendarOf(packageCalendarDays());

describe('working days on the official calendar (国务院办公厅 holiday schedule)', () => {
  it('weekends are off and weekdays work, unless the calendar says otherwise', () => {
    expect(isWorkingDay(official, '2026-11-16')).to.equal(true); // Monday
    expect(isWorkingDay(official, '2026-11-21')).to.equal(false); // Saturday
    expect(isWorkingDay(official, '2026-10-01')).to.equal(false); // 国庆节, Thursday
    expect(isWorkingDay(official, '2024-09-29')).to.equal(true); // 调休上班, Sunday
    expect(isWorkingDay(official, '2025-01-26')).to.equal(true); // 调休上班, Sunday
  });

  it('2026 National Day: 10.01–10.07 off, make-up workdays on Sunday 09.20 and Saturday 10.10', () => {
    for (let d = 1; d <= 7; d++) expect(isWorkingDay(official, `2026-10-0${d}`)).to.equal(false);
    expect(isWorkingDay(official, '2026-09-20')).to.equal(true);
    expect(isWorkingDay(official, '2026-10-10')).to.equal(true);
    // A publicity starting Monday 09.28: 09.28, 09.29, 09.30, then 10.08, 10.09 → ends Friday 10.09.
    expect(periodEnd(official, '2026-09-28', 5)).to.deep.equal({ date: '2026-10-09', provisional: false });
    // Starting Wednesday 09.30: 09.30, 10.08, 10.09, Saturday 10.10 (make-up), 10.12.
    expect(periodEnd(official, '2026-09-30', 5).date).to.equal('2026-10-12');
    // 09.20 (make-up), 09.21–24, 09.25–27 中秋 off, 09.28–30, 10.08, 10.09, 10.10 (make-up).
    expect(workingDaysBetween(official, '2026-09-19', '2026-10-11')).to.equal(11);
  });

  it('Spring Festival 2026 with make-up workdays on both sides (02.14 Saturday, 02.28 Saturday)', () => {
    expect(isWorkingDay(official, '2026-02-14')).to.equal(true);
    expect(isWorkingDay(official, '2026-02-28')).to.equal(true);
    // From Friday 02.13: Saturday 02.14 works, then 02.15–02.23 off, then 02.24 …
    expect(addWorkingDays(official, '2026-02-13', 1).date).to.equal('2026-02-14');
    expect(addWorkingDays(official, '2026-02-13', 2).date).to.equal('2026-02-24');
    expect(addWorkingDays(official, '2026-02-13', 6).date).to.equal('2026-02-28');
  });

  it('2024 Mid-Autumn and National Day with the make-up Sunday 09.29 before it', () => {
    expect(periodEnd(official, '2024-09-26', 5).date).to.equal('2024-10-08'); // 26, 27, 29 (Sun), 30, 10.08
  });

  it('counts from the day after `from`; n = 0 is `from`; negative counts back', () => {
    expect(addWorkingDays(official, '2026-11-13', 1).date).to.equal('2026-11-16'); // Friday → Monday
    expect(addWorkingDays(official, '2026-11-13', 0).date).to.equal('2026-11-13');
    expect(addWorkingDays(official, '2026-11-16', -1).date).to.equal('2026-11-13');
    expect(addWorkingDays(official, '2026-10-08', -1).date).to.equal('2026-09-30');
  });

  it('a period starting on a day off begins on the next working day', () => {
    expect(periodEnd(official, '2026-11-14', 5).date).to.equal('2026-11-20'); // Saturday → Mon–Fri
    expect(periodEnd(official, '2026-11-16', 5).date).to.equal('2026-11-20');
    expect(() => periodEnd(official, '2026-11-16', 0)).to.throw(RangeError);
  });

  it('beyond the recorded years the weekday rule answers, marked provisional; an administrator’s days count', () => {
    const r = periodEnd(official, '2026-12-28', 5);
    expect(r).to.deep.equal({ date: '2027-01-01', provisional: true });
    const withNextYear = calendarOf([
      ...packageCalendarDays(),
      { day: '2027-01-01', kind: 'holiday' as const },
      { day: '2027-01-02', kind: 'holiday' as const },
    ]);
    expect(periodEnd(withNextYear, '2026-12-28', 5)).to.deep.equal({
      date: '2027-01-04',
      provisional: false,
    });
    const override = calendarOf([{ day: '2026-10-01', kind: 'ordinary' as const }], [2026]);
    expect(isWorkingDay(override, '2026-10-01')).to.equal(true);
  });
});
