import { expect } from 'chai';
import { shareChart } from '../../src/routes/reports/charts.js';
import { daysBetween } from '../../src/services/reports/reportService.js';
import {
  ageBand,
  distribution,
  educationGroup,
  ethnicityGroup,
  partyGroup,
  share,
} from '../../src/services/reports/structure.js';

describe('reports: how people are grouped', () => {
  it('age bands in whole years on the date: 30岁及以下 … 56岁及以上', () => {
    const on = '2026-11-15';
    const cases: Array<[string, string]> = [
      ['1996-11-15', 'upTo30'], // 30 that day
      ['1995-11-15', '31to35'], // 31 that day
      ['1995-11-16', 'upTo30'], // 31 the day after
      ['1986-01-01', '36to40'],
      ['1981-06-30', '41to45'],
      ['1976-06-30', '46to50'],
      ['1971-11-15', '51to55'], // 55
      ['1970-11-15', 'from56'], // 56
    ];
    for (const [birth, band] of cases) expect(ageBand(birth, on), birth).to.equal(band);
  });

  it('the highest education completed: 研究生, 大学本科, 大学专科, 中专及以下, or not recorded', () => {
    expect(educationGroup([])).to.equal('unknown');
    expect(educationGroup(['college', 'bachelor'])).to.equal('bachelor');
    expect(educationGroup(['high_school', 'master'])).to.equal('postgraduate');
    expect(educationGroup(['doctorate'])).to.equal('postgraduate');
    expect(educationGroup(['college'])).to.equal('college');
    expect(educationGroup(['secondary_vocational'])).to.equal('secondaryOrBelow');
    expect(educationGroup(['below'])).to.equal('secondaryOrBelow');
    expect(educationGroup(['something else'])).to.equal('unknown');
  });

  it('ethnicity and party membership on the date', () => {
    expect(ethnicityGroup('汉族')).to.equal('han');
    expect(ethnicityGroup('回族')).to.equal('minority');
    expect(ethnicityGroup(' ')).to.equal('unknown');
    expect(partyGroup('cpc_member', '2012-07-01', '2026-11-15')).to.equal('member');
    expect(partyGroup('cpc_probationary', null, '2026-11-15')).to.equal('member');
    expect(partyGroup('cpc_member', '2027-07-01', '2026-11-15')).to.equal('nonMember'); // not yet joined
    expect(partyGroup('masses', null, '2026-11-15')).to.equal('nonMember');
  });

  it('counts per category of every dimension, and shares with one decimal', () => {
    const person = {
      gender: 'female' as const,
      birthDate: '1990-01-01',
      ethnicity: '汉族',
      politicalStatus: 'cpc_member',
      partyJoinedOn: null,
      educationLevels: ['bachelor'],
    };
    const d = distribution([person, { ...person, gender: 'male', educationLevels: [] }], '2026-11-15');
    expect(d.gender).to.deep.equal({ total: 2, counts: [1, 1] });
    expect(d.education.counts).to.deep.equal([0, 1, 0, 0, 1]);
    expect(d.age.counts).to.deep.equal([0, 0, 2, 0, 0, 0, 0]);
    expect(share(1, 8)).to.equal(12.5);
    expect(share(1, 3)).to.equal(33.3);
    expect(share(0, 0)).to.equal(0);
  });

  it('days between two dates (days overdue)', () => {
    expect(daysBetween('2026-06-30', '2026-11-15')).to.equal(138);
    expect(daysBetween('2026-11-15', '2026-11-15')).to.equal(0);
    expect(daysBetween('2024-02-28', '2024-03-01')).to.equal(2);
  });

  it('a share chart: one stacked bar per category, segments in proportion, the numbers in its description', () => {
    const chart = shareChart({
      title: '年龄结构构成',
      series: ['A', 'B'],
      categories: [
        { label: '合计', values: [1, 3] },
        { label: '空', values: [0, 0] },
      ],
    });
    const [total, empty] = chart.rows;
    const widths = total?.bars.map((b) => b.width) ?? [];
    expect((widths[0] as number) / ((widths[0] as number) + (widths[1] as number))).to.be.closeTo(0.25, 0.01);
    expect(total?.bars[1]?.x).to.equal((total?.bars[0]?.x as number) + (widths[0] as number));
    expect(empty?.bars.every((b) => b.width === 0)).to.equal(true);
    expect(chart.summary).to.contain('合计 A 1 (25%) B 3 (75%)');
    expect(chart.legend.map((l) => l.css)).to.deep.equal(['bar--s0', 'bar--s1']);
  });
});
