import { expect } from 'chai';
import { compareText, laterDate, monthIndex, monthStart } from '../../src/domain/dates.js';
import { type TenureCount, tenureAt, tenureMetFrom } from '../../src/domain/eligibility/tenure.js';

/** A small deterministic generator (mulberry32), so a failure can be replayed. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The definition, month by month: the first month whose months + credits reach the requirement. */
function bruteForce(count: TenureCount, required: number): number | null {
  const first = count.ranges[0];
  if (!first) return null;
  for (let m = first.from; m < first.from + 1200; m++) {
    const { months, credit } = tenureAt(count, m);
    if (months + credit >= required) return m;
  }
  return null;
}

describe('eligibility: the one-pass tenure sweep agrees with counting month by month', () => {
  it('on 2,000 random histories (gaps, open and closed periods, 优秀 credits in and between periods)', () => {
    const next = random(20261115);
    const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
    for (let n = 0; n < 2000; n++) {
      const ranges: TenureCount['ranges'] = [];
      let at = 2000 * 12 + int(0, 24);
      const periods = int(1, 4);
      for (let i = 0; i < periods; i++) {
        const open = i === periods - 1 && next() < 0.5;
        const to = open ? Number.POSITIVE_INFINITY : at + int(1, 30);
        ranges.push({ from: at, to });
        at = to + int(0, 18);
      }
      const credits: TenureCount['credits'] = [];
      for (let year = 2000; year < 2012; year++) {
        if (next() < 0.25) credits.push({ year, months: int(1, 6), at: (year + 1) * 12 });
      }
      const count: TenureCount = { ranges, credits, notCounted: [], restarted: null, missingYears: [] };
      const required = int(0, 60);
      expect(tenureMetFrom(count, required), JSON.stringify({ ranges, credits, required })).to.equal(
        bruteForce(count, required),
      );
    }
  });
});

describe('eligibility: month arithmetic (dates.ts)', () => {
  it('a month index round-trips to the first of the month and refuses what is not a date', () => {
    expect(monthIndex('2019-07-15')).to.equal(2019 * 12 + 6);
    expect(monthStart(monthIndex('2019-07-15'))).to.equal('2019-07-01');
    expect(monthStart(monthIndex('2019-12-31') + 1)).to.equal('2020-01-01');
    expect(monthIndex('2025-03-01') - monthIndex('2023-03-20')).to.equal(24);
    for (const bad of ['2019-13-01', '2019/07/15', '19-07-15', ''])
      expect(() => monthIndex(bad), bad).to.throw(RangeError);
    expect(compareText('2019-07-01', '2019-10-01')).to.equal(-1);
    expect(laterDate('2019-07-01', '2019-10-01')).to.equal('2019-10-01');
  });
});
