import { expect } from 'chai';
import { makeName, nameKeys, surnameOf } from '../../seeds/demo/names.js';
import { mulberry32, Rng } from '../../seeds/demo/random.js';

describe('demo world: names and their search keys', () => {
  it('gives full pinyin, initials and surname strokes (pinyin-pro, cnchar)', () => {
    expect(nameKeys('张三')).to.deep.equal({ pinyin: 'zhangsan', initials: 'zs', surnameStrokes: 7 });
    expect(nameKeys('王芳').surnameStrokes).to.equal(4);
  });

  it('counts both characters of a two-character surname', () => {
    expect(surnameOf('欧阳明')).to.equal('欧阳');
    expect(surnameOf('欧阳')).to.equal('欧');
    expect(nameKeys('欧阳明')).to.deep.equal({ pinyin: 'ouyangming', initials: 'oym', surnameStrokes: 14 });
    expect(nameKeys('司马光辉').surnameStrokes).to.equal(8);
  });

  it('reads surnames with their surname pronunciation and writes ü as v', () => {
    expect(nameKeys('曾文').pinyin).to.equal('zengwen');
    expect(nameKeys('单雄').pinyin).to.equal('shanxiong');
    expect(nameKeys('吕明').pinyin).to.equal('lvming');
  });

  it('generates the same names from the same seed, never twice in one set', () => {
    const run = () => {
      const rng = new Rng(20261129);
      const taken = new Set<string>();
      return Array.from({ length: 200 }, (_, i) => makeName(rng, i % 2 ? 'male' : 'female', 1985, taken));
    };
    const a = run();
    expect(a).to.deep.equal(run());
    expect(new Set(a).size).to.equal(a.length);
    for (const name of a) expect(name).to.match(/^[\u4e00-\u9fff]{2,4}$/);
  });

  it('never produces a listed well-known name', () => {
    const taken = new Set<string>();
    const rng = new Rng(1);
    for (let i = 0; i < 500; i++) makeName(rng, 'male', 1970, taken, { surname: '姚' });
    expect(taken.has('姚明')).to.equal(false);
  });
});

describe('demo world: PRNG', () => {
  it('mulberry32 is deterministic and in [0, 1)', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    for (let i = 0; i < 1000; i++) {
      const x = a();
      expect(x).to.equal(b());
      expect(x).to.be.at.least(0).and.below(1);
    }
  });

  it('forks independent, reproducible streams', () => {
    const root = new Rng(7);
    expect(root.fork('a').next()).to.equal(new Rng(7).fork('a').next());
    expect(root.fork('a').next()).to.not.equal(root.fork('b').next());
    expect(new Rng(7).int(3, 3)).to.equal(3);
  });
});
