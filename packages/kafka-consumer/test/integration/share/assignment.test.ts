import { testClient } from '@kafkakit/kafka-testkit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createShareConsumer,
  type KafkaConsumer,
  noopLogger,
  type ShareConsumerOptions,
} from '../../../src/index.js';
import { brokers, earliestGroup, produceBatches, session, topic } from './support.js';

const consumers: KafkaConsumer[] = [];
afterEach(async () => {
  await Promise.all(consumers.splice(0).map((c) => c.disconnect().catch(() => undefined)));
});

function shareConsumer(options: Pick<ShareConsumerOptions, 'topics' | 'groupId' | 'handler'>): KafkaConsumer {
  const c = createShareConsumer({
    brokers: brokers(),
    maxWaitTimeMs: 200,
    deadLetter: false,
    shutdown: { signals: [], drainTimeoutMs: 3000 },
    logger: noopLogger,
    ...options,
  });
  consumers.push(c);
  return c;
}

const sorted = (parts: ReadonlyArray<{ partition: number }>) => parts.map((p) => p.partition).sort();

describe('createShareConsumer: no commits, and the assignment as it changes', () => {
  it('commits nothing: no offsets.committed (nor commit-failed) event while running or at shutdown; every record is acknowledged', async () => {
    const name = await topic('kc-sc-nocommit');
    const groupId = await earliestGroup();
    const events: string[] = [];
    let handled = 0;
    const c = shareConsumer({
      topics: [name],
      groupId,
      handler: async () => {
        handled++;
      },
    });
    c.on('offsets.committed', () => events.push('offsets.committed'));
    c.on('offsets.commit-failed', () => events.push('offsets.commit-failed'));
    await c.run();
    const sent = await produceBatches(name, 4, 5);
    await vi.waitFor(() => expect(handled).toBe(sent.length), { timeout: 20_000 });
    const report = await c.disconnect();
    expect(report.drained).toBe(true);
    expect(events).toEqual([]);
    // Acknowledged all the same: a new member of the group finds nothing left.
    const late = await session({ groupId, topics: [name] });
    expect(await late.fetch()).toEqual([]);
  });

  it('health() and group.rebalanced follow every assignment, not only the first: partitions added to the topic are assigned and consumed', async () => {
    const name = await topic('kc-sc-grow', 1);
    const groupId = await earliestGroup();
    const byPartition = new Map<number, number>();
    const rebalanced: number[][] = [];
    const c = shareConsumer({
      topics: [name],
      groupId,
      handler: async ({ partition }) => {
        byPartition.set(partition, (byPartition.get(partition) ?? 0) + 1);
      },
    });
    c.on('group.rebalanced', ({ assigned }) => rebalanced.push(sorted(assigned)));
    await c.run();
    expect(sorted(c.health().assignedPartitions)).toEqual([0]);
    const admin = testClient(brokers()).admin();
    await admin.connect();
    try {
      await admin.createPartitions({ topicPartitions: [{ topic: name, count: 3 }] });
    } finally {
      await admin.disconnect();
    }
    await vi.waitFor(() => expect(sorted(c.health().assignedPartitions)).toEqual([0, 1, 2]), {
      timeout: 30_000,
      interval: 200,
    });
    expect(rebalanced[0]).toEqual([0]);
    expect(rebalanced.at(-1)).toEqual([0, 1, 2]);
    const producer = testClient(brokers()).producer();
    await producer.connect();
    try {
      await producer.send({ topic: name, acks: -1, messages: [{ value: 'p2', partition: 2 }] });
    } finally {
      await producer.disconnect();
    }
    await vi.waitFor(() => expect(byPartition.get(2)).toBe(1), { timeout: 20_000 });
  });
});
