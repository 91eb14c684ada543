import { expect } from 'chai';
import { ValidatedCache } from '../../src/services/validatedCache.js';

describe('ValidatedCache', () => {
  it('serves a slot while its key is unchanged and recomputes when the key changes', async () => {
    const cache = new ValidatedCache<{ n: number }>(10);
    let computed = 0;
    const compute = async () => ({ n: ++computed });
    expect(await cache.get('a', 'k1', compute)).to.deep.equal({ n: 1 });
    expect(await cache.get('a', 'k1', compute)).to.deep.equal({ n: 1 });
    expect(await cache.get('a', 'k2', compute)).to.deep.equal({ n: 2 });
    expect({ hits: cache.hits, misses: cache.misses, size: cache.size }).to.deep.equal({
      hits: 1,
      misses: 2,
      size: 1,
    });
  });

  it('shares one computation between concurrent misses, and forgets a failed one', async () => {
    const cache = new ValidatedCache<number>(10);
    let calls = 0;
    const slow = () => new Promise<number>((resolve) => setTimeout(() => resolve(++calls), 10));
    const [a, b] = await Promise.all([cache.get('s', 'k', slow), cache.get('s', 'k', slow)]);
    expect([a, b, calls]).to.deep.equal([1, 1, 1]);
    const failing = async () => {
      throw new Error('database down');
    };
    let err: unknown;
    await cache.get('t', 'k', failing).catch((e) => {
      err = e;
    });
    expect(err).to.be.instanceOf(Error);
    expect(await cache.get('t', 'k', async () => 7)).to.equal(7);
  });

  it('keeps at most max slots, dropping the least recently used', async () => {
    const cache = new ValidatedCache<string>(2);
    await cache.get('a', 'k', async () => 'A');
    await cache.get('b', 'k', async () => 'B');
    await cache.get('a', 'k', async () => 'A2');
    await cache.get('c', 'k', async () => 'C');
    expect(cache.size).to.equal(2);
    expect(await cache.get('a', 'k', async () => 'A3')).to.equal('A');
    expect(await cache.get('b', 'k', async () => 'B2')).to.equal('B2');
  });

  it('freezes what it stores, so a caller cannot change the next reader’s data', async () => {
    const cache = new ValidatedCache<{ rows: Array<{ n: number }> }>(2);
    const value = await cache.get('a', 'k', async () => ({ rows: [{ n: 1 }] }));
    expect(() => {
      (value.rows[0] as { n: number }).n = 2;
    }).to.throw(TypeError);
  });
});
