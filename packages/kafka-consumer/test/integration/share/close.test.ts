import { describe, expect, it } from 'vitest';
import type { ShareRecord } from '../../../src/share/index.js';
import {
  earliestGroup,
  fetchUntil,
  fetchValues,
  produceBatches,
  session,
  topic,
  untilMembers,
  values,
} from './support.js';

describe('share groups: close', () => {
  it('close() releases the records it did not start; another member takes them at once, not after the lock', async () => {
    const name = await topic('kc-share-close');
    const groupId = await earliestGroup();
    const first = await session({ groupId, topics: [name] });
    const second = await session({ groupId, topics: [name] });
    await untilMembers(first, 2);
    const sent = await produceBatches(name, 1, 20);
    const held = await fetchValues(first, sent);
    expect(held).toHaveLength(20);
    await first.acknowledge(held.slice(0, 5), 'accept'); // five finished; fifteen never started
    // While `first` holds them, `second` gets nothing (its fetch is live: it returns, empty).
    expect(await second.fetch()).toEqual([]);
    const closedAt = Date.now();
    await first.close();
    const taken: ShareRecord[] = [];
    await fetchUntil(
      second,
      () => taken.length >= 15,
      async (records) => {
        taken.push(...records);
        await second.acknowledge(records, 'accept');
      },
      10_000,
    );
    const tookMs = Date.now() - closedAt;
    expect(values(taken).sort()).toEqual(sent.slice(5).sort());
    expect(tookMs).toBeLessThan(5_000); // the acquisition lock is 30 s
    // The broker counts the release as a delivery: the next member sees deliveryCount 2.
    expect(new Set(taken.map((r) => r.deliveryCount))).toEqual(new Set([2]));
    console.info(`[share close] 15 released records taken by the other member ${tookMs} ms after close()`);
  });
});
