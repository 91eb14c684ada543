import { expect } from 'chai';
import { planDemoWorld } from '../../seeds/demo/index.js';
import type { DemoPlan } from '../../seeds/demo/plan.js';
import { parseIdNumber } from '../../src/domain/idNumber.js';

const TODAY = '2026-11-15';

interface Period {
  validFrom: string;
  validTo: string | null;
}

const current = (r: Period, on = TODAY) => r.validFrom <= on && (r.validTo === null || r.validTo > on);

/** Groups rows and reports the first pair of overlapping half-open periods in a group. */
function firstOverlap<T extends Period>(rows: T[], key: (r: T) => string): [T, T] | null {
  const groups = new Map<string, T[]>();
  for (const r of rows) groups.set(key(r), [...(groups.get(key(r)) ?? []), r]);
  for (const list of groups.values()) {
    list.sort((a, b) => (a.validFrom < b.validFrom ? -1 : 1));
    for (let i = 1; i < list.length; i++) {
      const prev = list[i - 1]!;
      if (prev.validTo === null || prev.validTo > list[i]!.validFrom) return [prev, list[i]!];
    }
  }
  return null;
}

describe('demo world plan (no database)', function () {
  this.timeout(20_000);
  let plan: DemoPlan;
  before(() => {
    plan = planDemoWorld({ today: TODAY });
  });

  it('is deterministic for an anchor date and seed, and the seed matters', () => {
    expect(JSON.stringify(planDemoWorld({ today: TODAY }))).to.equal(JSON.stringify(plan));
    const other = planDemoWorld({ today: TODAY, randomSeed: 7 });
    expect(other.people.map((p) => p.name)).to.not.deep.equal(plan.people.map((p) => p.name));
  });

  it('refuses an anchor that is not a date or lies before the reform history', () => {
    expect(() => planDemoWorld({ today: '2026-02-30' })).to.throw(/YYYY-MM-DD/);
    expect(() => planDemoWorld({ today: '2020-01-01' })).to.throw(/between/);
    expect(() => planDemoWorld({ today: TODAY, randomSeed: Number.NaN })).to.throw(/integer/);
  });

  it('has one city, three counties and fifteen townships, two of them subdistricts', () => {
    const kinds = plan.regions.map((r) => r.kind);
    expect(kinds.filter((k) => k === 'city')).to.have.length(1);
    expect(kinds.filter((k) => k === 'county')).to.have.length(3);
    expect(kinds.filter((k) => k === 'township')).to.have.length(15);
    expect(plan.regions.filter((r) => r.townshipKind === 'subdistrict')).to.have.length(2);
    for (const r of plan.regions) expect(r.code).to.match(/^99\d{4}(\d{3})?$/);
  });

  it('builds every township on the seed template, with 45–56 posts open at the anchor', () => {
    for (const t of plan.regions.filter((r) => r.kind === 'township')) {
      const units = plan.units.filter((u) => u.townshipCode === t.code && u.abolishedOn === null);
      expect(units.filter((u) => u.kind === 'office')).to.have.length(4);
      expect(units.filter((u) => u.kind === 'dispatched' && u.departmentKey !== null)).to.have.length(3);
      expect(units.filter((u) => u.kind === 'station').length).to.be.within(5, 6);
      const open = plan.posts.filter(
        (p) =>
          p.townshipCode === t.code && p.openedOn <= TODAY && (p.closedOn === null || p.closedOn > TODAY),
      );
      expect(open.length, t.name).to.be.within(45, 56);
    }
    expect(plan.units.filter((u) => u.featured)).to.have.length(2);
    expect(plan.posts.filter((p) => p.crossType && p.closedOn === null)).to.have.length(6);
  });

  it('has about forty people per township with valid, unique ID numbers', () => {
    expect(plan.people.length).to.be.within(580, 700);
    const ids = new Set<string>();
    for (const p of plan.people) {
      const parsed = parseIdNumber(p.idNumber, TODAY);
      expect(parsed.ok, p.idNumber).to.equal(true);
      if (parsed.ok) {
        expect(parsed.value.birthDate).to.equal(p.birthDate);
        expect(parsed.value.gender).to.equal(p.gender);
      }
      expect(p.idNumber.slice(0, 2)).to.equal('99');
      ids.add(p.idNumber);
      expect(p.namePinyin).to.match(/^[a-z]+$/);
      expect(p.surnameStrokes).to.be.greaterThan(0);
    }
    expect(ids.size).to.equal(plan.people.length);
  });

  it('keeps the history invariants the schema enforces', () => {
    expect(
      firstOverlap(plan.assignments, (a) => a.postKey),
      'one holder per post',
    ).to.equal(null);
    expect(
      firstOverlap(
        plan.assignments.filter((a) => a.kind === 'primary'),
        (a) => a.personKey,
      ),
      'one primary post per person',
    ).to.equal(null);
    expect(
      firstOverlap(plan.slots, (s) => s.personKey),
      'one quota slot per person',
    ).to.equal(null);
    expect(
      firstOverlap(plan.statuses, (s) => s.personKey),
      'one status per person',
    ).to.equal(null);
    expect(
      firstOverlap(plan.grades, (g) => `${g.personKey}|${g.ladder}`),
      'one grade per ladder',
    ).to.equal(null);
    for (const a of plan.assignments) if (a.kind === 'secondment') expect(a.plannedUntil).to.not.equal(null);
    for (const r of [...plan.assignments, ...plan.slots, ...plan.grades, ...plan.statuses]) {
      if (r.validTo !== null) expect(r.validTo > r.validFrom).to.equal(true);
    }
  });

  it('gives every active person exactly one current quota slot and one current primary post', () => {
    const active = plan.statuses.filter((s) => s.status === 'active' && current(s)).map((s) => s.personKey);
    expect(active.length).to.be.greaterThan(550);
    for (const key of active) {
      expect(plan.slots.filter((s) => s.personKey === key && current(s))).to.have.length(1);
      expect(
        plan.assignments.filter((a) => a.personKey === key && a.kind === 'primary' && current(a)),
      ).to.have.length(1);
    }
    const retired = plan.statuses.filter((s) => s.status === 'retired' && current(s)).map((s) => s.personKey);
    expect(retired.length).to.be.within(3, 12);
    for (const key of retired) {
      expect(plan.slots.filter((s) => s.personKey === key && current(s))).to.have.length(0);
      expect(plan.assignments.filter((a) => a.personKey === key && current(a))).to.have.length(0);
    }
  });

  it('puts exactly one township over quota and at least two exactly full at the anchor', () => {
    const states = plan.accounts.map((account) => {
      const approved = plan.quotaDecisions
        .filter((d) => d.accountKey === account.key && d.effectiveFrom <= TODAY)
        .sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? -1 : 1))
        .at(-1)?.approved;
      const occupied = plan.slots.filter((s) => s.accountKey === account.key && current(s)).length;
      return { key: account.key, approved: approved ?? 0, occupied };
    });
    const over = states.filter((s) => s.occupied > s.approved);
    expect(over).to.have.length(1);
    expect(over[0]!.key).to.equal(`t:${plan.facts.overQuota.townshipCode}|${plan.facts.overQuota.type}`);
    const full = states.filter((s) => s.occupied === s.approved && s.occupied > 0);
    expect(full.length).to.be.at.least(2);
    for (const d of plan.quotaDecisions) expect(d.docNo).to.match(/^.+〔\d{4}〕\d+号$/);
  });

  it('replays the seed report’s leadership slots in every township', () => {
    for (const t of plan.regions.filter((r) => r.kind === 'township')) {
      const decisions = plan.leadershipDecisions.filter((d) => d.accountKey.startsWith(`${t.code}:`));
      const kind = (k: string) => decisions.filter((d) => d.accountKey === `${t.code}:${k}`);
      expect(kind('deputy_mayor')[0]?.slotCount).to.equal(2);
      expect(kind('armed_forces_head')[0]?.counted).to.equal(false);
      expect(kind('poverty_office_deputy')[0]).to.include({ temporary: true, writeOffOn: '2021-06-30' });
      expect(kind('political_legal_member')[0]).to.include({ concurrentOnly: true, counted: false });
      expect(kind('propaganda_member')[0]?.effectiveFrom.slice(0, 4)).to.equal('2021');
      const totals = plan.leadershipTotals.filter((d) => d.townshipCode === t.code);
      expect(totals.map((d) => d.total)).to.deep.equal([9, 9]);
    }
  });

  it('has assessments, a few sanctions, secondments, movers and the staff account', () => {
    expect(plan.assessments.filter((a) => a.result === 'incompetent')).to.have.length(1);
    expect(plan.assessments.filter((a) => a.result === 'ungraded').length).to.be.greaterThan(20);
    expect(plan.sanctions.length).to.be.within(4, 6);
    expect(
      plan.sanctions.filter((s) => s.kindCode === 'investigation' && s.closedOn === null),
    ).to.have.length(1);
    const secondments = plan.assignments.filter((a) => a.kind === 'secondment');
    expect(secondments).to.have.length(3);
    // One overdue: planned end passed, no return recorded (在编不在岗).
    expect(
      secondments.filter((a) => a.validTo === null && (a.plannedUntil as string) <= TODAY),
    ).to.have.length(1);
    expect(plan.facts.movers).to.have.length(2);
    expect(plan.families.filter((f) => f.emigrated)).to.have.length(2);
    const staff = plan.users.find((u) => u.username === 'staff')!;
    expect(staff.personKey).to.equal(plan.facts.staffPersonKey);
    expect(plan.grades.filter((g) => g.personKey === staff.personKey).length).to.be.at.least(2);
    expect(plan.assessments.filter((a) => a.personKey === staff.personKey).length).to.be.at.least(5);
  });

  it('has one account per role with its scope', () => {
    expect(plan.users.map((u) => [u.username, u.role, u.regionKind])).to.deep.equal([
      ['admin', 'admin', null],
      ['bianban', 'establishment_officer', 'county'],
      ['zuzhibu', 'county_reviewer', 'county'],
      ['officer', 'township_officer', 'township'],
      ['staff', 'staff', null],
      ['zuzhibu2', 'county_reviewer', 'county'],
      ['officer2', 'township_officer', 'township'],
      ['officer3', 'township_officer', 'township'],
    ]);
  });
});
