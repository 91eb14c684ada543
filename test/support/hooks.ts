import { closeWorld } from './world.js';

/** Root hooks: integration tests build the shared world on first use (getWorld); it is closed after the last test. */
export const mochaHooks = {
  async afterAll(this: Mocha.Context) {
    this.timeout(60_000);
    await closeWorld();
  },
};
