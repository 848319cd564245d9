import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { ShareRecord, ShareSession } from '../../../src/share/index.js';
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

describe('share groups: delivery on a real broker', () => {
  it('three share sessions on one partition all receive records and together process every one once', async () => {
    const name = await topic('kc-share-three');
    const groupId = await earliestGroup();
    const members = await Promise.all(
      [1, 2, 3].map(() => session({ groupId, topics: [name], maxRecords: 10, batchSize: 10 })),
    );
    await untilMembers(members[0] as ShareSession, 3);
    const sent = await produceBatches(name, 30, 10);
    const seen = new Map<string, number>();
    const byMember = await Promise.all(
      members.map((s) =>
        fetchUntil(
          s,
          () => seen.size >= sent.length,
          async (records) => {
            for (const v of values(records)) seen.set(v, (seen.get(v) ?? 0) + 1);
            await sleep(records.length * 2); // a 2 ms handler per record
            await s.acknowledge(records, 'accept');
          },
        ),
      ),
    );
    expect(byMember.map((records) => records.length > 0)).toEqual([true, true, true]);
    expect([...seen.keys()].sort()).toEqual([...sent].sort());
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
    expect(byMember.flat().every((r) => r.deliveryCount === 1)).toBe(true);
  });

  it('a released record comes back with deliveryCount 2; a rejected one never comes back', async () => {
    const name = await topic('kc-share-release');
    const groupId = await earliestGroup();
    const s = await session({ groupId, topics: [name] });
    await produceBatches(name, 1, 2); // m0 is released, m1 rejected
    const initial = await fetchValues(s, ['m0', 'm1']);
    expect(initial.map((r) => r.deliveryCount)).toEqual([1, 1]);
    await Promise.all([
      s.acknowledge(initial.slice(0, 1), 'release'),
      s.acknowledge(initial.slice(1, 2), 'reject'),
    ]);
    const again = await fetchValues(s, ['m0']);
    expect(again.map((r) => [r.value?.toString(), r.deliveryCount])).toEqual([['m0', 2]]);
    await s.acknowledge(again, 'accept');
    // The session still fetches (a record produced now arrives) and m1 is not among what it gets.
    await produceBatches(name, 1, 1, 'late');
    const after: ShareRecord[] = [];
    await fetchUntil(
      s,
      () => values(after).includes('late0'),
      async (records) => {
        after.push(...records);
        await s.acknowledge(records, 'accept');
      },
    );
    expect(values(after)).toEqual(['late0']);
  });

  it('one producer batch is shared: a fetch acquires at most maxRecords of it (record-limit acquire mode), the next member takes the rest', async () => {
    const name = await topic('kc-share-limit');
    const groupId = await earliestGroup();
    const first = await session({ groupId, topics: [name], maxRecords: 10, batchSize: 10 });
    const second = await session({ groupId, topics: [name], maxRecords: 10, batchSize: 10 });
    await untilMembers(first, 2);
    // One send: one log batch of 100 records (the batch-optimized mode acquires a log batch whole).
    const sent = await produceBatches(name, 1, 100);
    let mine: ShareRecord[] = [];
    await fetchUntil(
      first,
      () => mine.length > 0,
      (records) => {
        mine = records;
      },
    );
    // The first member holds its records (unacknowledged): the second gets others of the same batch.
    let theirs: ShareRecord[] = [];
    await fetchUntil(
      second,
      () => theirs.length > 0,
      (records) => {
        theirs = records;
      },
    );
    expect(mine.length).toBeLessThanOrEqual(10);
    expect(theirs.length).toBeGreaterThan(0);
    expect(theirs.length).toBeLessThanOrEqual(10);
    const offsets = new Set(mine.map((r) => r.offset));
    expect(theirs.filter((r) => offsets.has(r.offset))).toEqual([]);
    expect(sent).toHaveLength(100);
    await first.acknowledge(mine, 'accept');
    await second.acknowledge(theirs, 'accept');
  });
});
