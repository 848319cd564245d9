import { produceMessages, readCommittedOffsets, waitFor } from '@kafkakit/kafka-testkit';
import { describe, expect, it } from 'vitest';
import { brokers, consumer, record, text, topic } from './support.js';

describe('at-least-once delivery', () => {
  it('processes every message once, in partition order, and commits the end offsets', async () => {
    const source = await topic('kc-order', 2);
    const messages = Array.from({ length: 60 }, (_, i) => ({
      key: `k${i % 4}`,
      value: `v${i}`,
      partition: i % 2,
    }));
    await produceMessages(brokers(), source, messages);
    const seen: Record<number, number[]> = { 0: [], 1: [] };
    const c = consumer({
      topics: [source],
      handler: async ({ partition, message }) => {
        seen[partition]?.push(Number(text(message.value)?.slice(1)));
      },
    });
    const events = record(c, 'message.processed', 'offsets.committed');
    await c.connect();
    await c.run();
    await waitFor(() => (seen[0]?.length ?? 0) + (seen[1]?.length ?? 0) === 60, {
      timeoutMs: 20_000,
      message: 'all consumed',
    });
    const groupId = c.options.groupId;
    await waitFor(
      async () => {
        const committed = await readCommittedOffsets(brokers(), groupId, source);
        return committed[0] === '30' && committed[1] === '30';
      },
      { timeoutMs: 10_000, message: 'offsets committed' },
    );
    expect(seen[0]).toEqual(messages.filter((m) => m.partition === 0).map((m) => Number(m.value.slice(1))));
    expect(seen[1]).toEqual(messages.filter((m) => m.partition === 1).map((m) => Number(m.value.slice(1))));
    expect(events['message.processed']).toHaveLength(60);
    expect(events['offsets.committed'].every((e) => e.reason === 'batch')).toBe(true);
  });
});
