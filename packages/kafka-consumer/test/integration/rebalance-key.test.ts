import { produceMessages, readCommittedOffsets, uniqueName, waitFor } from '@kafkakit/kafka-testkit';
import { describe, expect, it } from 'vitest';
import type { ConsumerEvents } from '../../src/index.js';
import { brokers, consumer, topic } from './support.js';

describe("rebalance under 'key' ordering", () => {
  it('in-flight handlers of revoked partitions finish and are committed before the re-join: nothing is processed twice', async () => {
    const source = await topic('kc-rebalance-key', 2);
    const total = 120;
    await produceMessages(
      brokers(),
      source,
      Array.from({ length: total }, (_, i) => ({ key: `k${i % 12}`, value: `m${i}`, partition: i % 2 })),
    );
    const groupId = uniqueName('kc-rebalance-key-group');
    const seen = new Map<string, string[]>();
    let running = 0;
    let aInFlightAtJoin = 0;
    const make = (who: 'A' | 'B') => {
      const rebalances: Array<ConsumerEvents['group.rebalanced']> = [];
      const c = consumer({
        topics: [source],
        groupId,
        ordering: 'key',
        concurrency: 6,
        commit: { strategy: 'interval', intervalMs: 60_000 },
        handler: async ({ partition, message }) => {
          const id = `${partition}:${message.offset}`;
          seen.set(id, [...(seen.get(id) ?? []), who]);
          if (who === 'A') running++;
          await new Promise((resolve) => setTimeout(resolve, 150));
          if (who === 'A') running--;
        },
      });
      c.on('group.rebalanced', (e) => rebalances.push(e));
      return { c, rebalances };
    };
    const a = make('A');
    await a.c.run();
    await waitFor(() => running >= 6, { message: 'A has six handlers in flight' });
    const b = make('B');
    aInFlightAtJoin = running;
    await b.c.run();
    await waitFor(() => a.rebalances.length >= 2 && b.rebalances.length >= 1, {
      timeoutMs: 30_000,
      message: 'both members have an assignment',
    });
    await waitFor(() => seen.size === total, { timeoutMs: 60_000, message: 'everything processed' });
    await Promise.all([a.c.disconnect(), b.c.disconnect()]);
    expect(aInFlightAtJoin).toBeGreaterThan(0);
    const twice = [...seen].filter(([, who]) => who.length > 1);
    expect(twice).toEqual([]);
    expect(await readCommittedOffsets(brokers(), groupId, source)).toEqual({ 0: '60', 1: '60' });
  });
});
