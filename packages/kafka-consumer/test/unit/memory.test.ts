import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { createConsumer } from '../../src/index.js';
import { fakeClient, options } from './support/fake-client.js';

/** A full GC, also without `--expose-gc` on the command line (the flag can be set at run time). */
function fullGc(): () => void {
  if (typeof globalThis.gc === 'function') return globalThis.gc;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

const BATCH = 500;

describe('memory', () => {
  it('retained heap does not grow with the number of processed messages', async () => {
    const gc = fullGc();
    const fake = fakeClient();
    const c = createConsumer(
      options(async () => undefined),
      { clientFactory: fake.factory },
    );
    await c.run();
    let next = 0;
    const consume = async (count: number) => {
      for (let done = 0; done < count; done += BATCH) {
        const offsets = Array.from({ length: BATCH }, () => next++);
        await fake.hooks().onBatch(fake.batch(offsets));
      }
      fake.commits.length = 0;
    };
    const retained = async () => {
      await new Promise((resolve) => setImmediate(resolve));
      gc();
      gc();
      return process.memoryUsage().heapUsed;
    };

    await consume(5_000); // warm-up: code, JIT, the tracker's partition state
    const before = await retained();
    await consume(50_000);
    const after = await retained();
    // The leak kept ~330 B per message reachable: ~16 MB for 50,000 messages.
    expect(after - before).toBeLessThan(2 * 1024 * 1024);
    await c.disconnect();
  });
});
