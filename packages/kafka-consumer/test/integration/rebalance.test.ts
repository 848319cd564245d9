import { produceMessages, readCommittedOffsets, uniqueName, waitFor } from '@kafkakit/kafka-testkit';
import { describe, expect, it } from 'vitest';
import type { ConsumerEvents } from '../../src/index.js';
import { brokers, consumer, record, topic } from './support.js';

interface Start {
  who: 'A' | 'B';
  partition: number;
  offset: number;
  at: number;
}

describe('rebalance', () => {
  it.each([
    ['per-batch', 'per-batch'],
    ['per-message', 'per-message'],
    ['interval', { strategy: 'interval', intervalMs: 60_000 }],
  ] as const)('%s: starts no handler for a revoked partition and commits finished offsets before the revoke completes', async (_name, commit) => {
    const source = await topic('kc-rebalance', 2);
    const perPartition = 30;
    await produceMessages(
      brokers(),
      source,
      Array.from({ length: perPartition * 2 }, (_, i) => ({ value: `m${i}`, partition: i % 2 })),
    );
    const groupId = uniqueName('kc-rebalance-group');
    const starts: Start[] = [];
    const finished: Start[] = [];
    const make = (who: 'A' | 'B') => {
      const rebalances: Array<ConsumerEvents['group.rebalanced'] & { at: number }> = [];
      const c = consumer({
        topics: [source],
        groupId,
        commit,
        concurrency: 2,
        handler: async ({ partition, message }) => {
          const entry = { who, partition, offset: Number(message.offset), at: Date.now() };
          starts.push(entry);
          await new Promise((resolve) => setTimeout(resolve, 50));
          finished.push({ ...entry, at: Date.now() });
        },
      });
      c.on('group.rebalanced', (e) => rebalances.push({ ...e, at: Date.now() }));
      const commitReasons: string[] = [];
      c.on('offsets.committed', (e) => commitReasons.push(e.reason));
      return { c, rebalances, commitReasons };
    };

    const a = make('A');
    await a.c.run();
    await waitFor(() => starts.length >= 6, { message: 'A is consuming' });
    const b = make('B');
    await b.c.run();
    await waitFor(() => a.rebalances.length >= 2 && b.rebalances.length >= 1, {
      timeoutMs: 30_000,
      message: 'both members have an assignment',
    });
    await waitFor(() => finished.length >= perPartition * 2, {
      timeoutMs: 30_000,
      message: 'everything processed',
    });
    await Promise.all([a.c.disconnect(), b.c.disconnect()]);
    expect(await readCommittedOffsets(brokers(), groupId, source)).toEqual({
      0: String(perPartition),
      1: String(perPartition),
    });

    // A committed its finished offsets when it saw the rebalance (mid-batch for per-batch/interval).
    if (commit !== 'per-message') expect(a.commitReasons).toContain('rebalance');
    const revokedEvent = a.rebalances[1];
    expect(revokedEvent?.revoked).toHaveLength(1);
    const revoked = revokedEvent?.revoked[0]?.partition as number;
    expect(b.rebalances.at(-1)?.assigned).toEqual([{ topic: source, partition: revoked }]);

    // A started nothing on the revoked partition once it was reassigned...
    const aOnRevoked = starts.filter((s) => s.who === 'A' && s.partition === revoked);
    const bOnRevoked = starts.filter((s) => s.who === 'B' && s.partition === revoked);
    expect(bOnRevoked.length).toBeGreaterThan(0);
    const bFirst = bOnRevoked[0] as Start;
    for (const s of aOnRevoked) expect(s.at).toBeLessThanOrEqual(revokedEvent?.at ?? 0);
    for (const s of aOnRevoked) expect(s.at).toBeLessThan(bFirst.at);
    // ...and every message A finished there was committed before B took over: B starts right after
    // A's last finished offset, so no message of that partition was processed twice or skipped.
    const aFinishedOnRevoked = finished.filter((s) => s.who === 'A' && s.partition === revoked);
    const lastA = Math.max(-1, ...aFinishedOnRevoked.map((s) => s.offset));
    expect(bFirst.offset).toBe(lastA + 1);
    for (const partition of [0, 1]) {
      const offsets = finished.filter((s) => s.partition === partition).map((s) => s.offset);
      expect(offsets.sort((x, y) => x - y)).toEqual(Array.from({ length: perPartition }, (_, i) => i));
    }
  });
});

describe('rebalance while idle', () => {
  it('interval: finished offsets of an idle member are committed on revoke, nothing is redelivered', async () => {
    const source = await topic('kc-rebalance-idle', 2);
    await produceMessages(
      brokers(),
      source,
      Array.from({ length: 10 }, (_, i) => ({ value: `m${i}`, partition: i % 2 })),
    );
    const groupId = uniqueName('kc-rebalance-idle-group');
    const seenA: string[] = [];
    const seenB: string[] = [];
    const a = consumer({
      topics: [source],
      groupId,
      commit: { strategy: 'interval', intervalMs: 60_000 },
      handler: ({ partition, message }) => void seenA.push(`${partition}:${message.offset}`),
    });
    const reasons: string[] = [];
    a.on('offsets.committed', (e) => reasons.push(e.reason));
    await a.run();
    await waitFor(() => seenA.length === 10, { message: 'A consumed everything' });
    expect(await readCommittedOffsets(brokers(), groupId, source)).toEqual({ 0: '-1', 1: '-1' });
    const b = consumer({
      topics: [source],
      groupId,
      handler: ({ partition, message }) => void seenB.push(`${partition}:${message.offset}`),
    });
    const bJoins = record(b, 'group.rebalanced')['group.rebalanced'];
    await b.run();
    await waitFor(() => bJoins.length > 0 && (bJoins.at(-1)?.assigned.length ?? 0) > 0, {
      timeoutMs: 30_000,
      message: 'B got a partition',
    });
    await waitFor(
      async () => {
        const offsets = await readCommittedOffsets(brokers(), groupId, source);
        return offsets[0] === '5' && offsets[1] === '5';
      },
      { message: 'A committed on revoke' },
    );
    expect(reasons).toContain('rebalance');
    // B is consuming its partition: a new message there reaches B, and nothing before it did.
    const bPartition = bJoins.at(-1)?.assigned[0]?.partition as number;
    await produceMessages(brokers(), source, [{ value: 'marker', partition: bPartition }]);
    await waitFor(() => seenB.length > 0, { message: 'B processed the new message' });
    expect(seenB).toEqual([`${bPartition}:5`]);
  });
});
