import { expect } from 'chai';
import { assessUsage, totalUsage } from '../../src/domain/quota.js';

describe('quota usage (domain guide section 4)', () => {
  it('空编: approved places are free', () => {
    expect(assessUsage({ approved: 24, occupied: 22, reserved: 1 })).to.include({
      vacant: 1,
      over: 0,
      status: 'vacant',
    });
  });

  it('满编: occupied plus reserved equals approved', () => {
    expect(assessUsage({ approved: 24, occupied: 23, reserved: 1 })).to.include({
      vacant: 0,
      over: 0,
      status: 'full',
    });
  });

  it('超编: a quota lowered below occupancy shows the excess', () => {
    expect(assessUsage({ approved: 20, occupied: 23, reserved: 0 })).to.include({
      vacant: 0,
      over: 3,
      status: 'over',
    });
  });

  it('totals never let one type’s vacancy hide another type’s excess', () => {
    const total = totalUsage([
      { approved: 10, occupied: 8, reserved: 0 },
      { approved: 5, occupied: 7, reserved: 0 },
    ]);
    expect(total).to.include({ approved: 15, occupied: 15, vacant: 2, over: 2, status: 'over' });
  });
});
