import { expect } from 'chai';
import { HASHES_AT_ONCE, hashing, hashPassword, verifyPassword } from '../../src/auth/passwords.js';

describe('password hashing', () => {
  it('verifies argon2id hashes, and runs at most one hash per core at once (each takes 19 MiB)', async function () {
    this.timeout(30_000);
    const stored = await hashPassword('correct horse battery');
    expect(stored).to.match(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    const attempts = Array.from({ length: HASHES_AT_ONCE + 4 }, (_, i) =>
      verifyPassword(stored, i % 2 ? 'correct horse battery' : 'wrong'),
    );
    // Started together: the first HASHES_AT_ONCE run, the rest wait their turn.
    await Promise.resolve();
    expect(hashing().running).to.equal(HASHES_AT_ONCE);
    expect(hashing().waiting).to.equal(4);
    expect(await Promise.all(attempts)).to.deep.equal(attempts.map((_, i) => i % 2 === 1));
    expect(hashing()).to.deep.equal({ running: 0, waiting: 0 });
    expect(await verifyPassword('not a hash', 'x')).to.equal(false);
  });
});
