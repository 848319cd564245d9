import { describe, expect, inject, it } from 'vitest';
import {
  createTopic,
  deleteTopics,
  produceMessages,
  readCommittedOffsets,
  readEndOffsets,
  testClient,
  uniqueName,
  waitFor,
} from '../../src/index.js';

const brokers = inject('kafkaBrokers');

describe('the run broker', () => {
  it('answers describeCluster', async () => {
    const admin = testClient(brokers).admin();
    await admin.connect();
    const cluster = await admin.describeCluster();
    await admin.disconnect();
    expect(cluster.brokers.length).toBeGreaterThan(0);
    expect(cluster.clusterId).toMatch(/.+/);
  });

  it('delivers 10,000 messages on 3 partitions exactly once to a KafkaJS group and commits to the end', async () => {
    const topic = uniqueName('proof');
    const groupId = uniqueName('proof-group');
    await createTopic(brokers, topic, 3);
    try {
      await produceMessages(
        brokers,
        topic,
        Array.from({ length: 10_000 }, (_, i) => ({ key: `k${i}`, value: `m${i}`, partition: i % 3 })),
      );
      const seen = new Map<string, number>();
      const consumer = testClient(brokers).consumer({ groupId, maxWaitTimeInMs: 200 });
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message }) => {
          const value = message.value?.toString() ?? '';
          seen.set(value, (seen.get(value) ?? 0) + 1);
        },
      });
      const end = await readEndOffsets(brokers, topic);
      expect(
        Object.values(end)
          .map(Number)
          .reduce((a, b) => a + b, 0),
      ).toBe(10_000);
      await waitFor(
        async () => {
          const committed = await readCommittedOffsets(brokers, groupId, topic);
          return seen.size === 10_000 && [0, 1, 2].every((p) => committed[p] === end[p]);
        },
        { timeoutMs: 45_000, message: 'every message consumed and committed to the end offsets' },
      );
      await consumer.disconnect();
      expect([...seen.values()].every((n) => n === 1)).toBe(true);
      for (let i = 0; i < 10_000; i++) expect(seen.has(`m${i}`)).toBe(true);
      const committed = await readCommittedOffsets(brokers, groupId, topic);
      expect(committed).toEqual(end);
    } finally {
      await deleteTopics(brokers, [topic]);
    }
  });
});
