import { produceMessages, waitFor } from '@kafkakit/kafka-testkit';
import { describe, expect, it } from 'vitest';
import { brokers, consumer, record, topic } from './support.js';

describe('drain', () => {
  it.each([
    'partition',
    'key',
  ] as const)("'%s': once shutdown starts, fetching stops: no batch arrives while a handler drains", async (ordering) => {
    const source = await topic('kc-drain-fetch', 2);
    await produceMessages(
      brokers(),
      source,
      Array.from({ length: 20 }, (_, i) => ({ key: `k${i}`, value: `m${i}`, partition: i % 2 })),
    );
    let drainBegan: () => void = () => undefined;
    const draining = new Promise<void>((resolve) => {
      drainBegan = resolve;
    });
    let entered = false;
    /** The handler's own work: it finishes 1.5 s after the drain began (a slow write finishing). */
    const DRAIN_WORK_MS = 1500;
    const c = consumer({
      topics: [source],
      ordering,
      concurrency: 2,
      shutdown: { signals: [], drainTimeoutMs: 5000 },
      handler: async ({ message, partition }) => {
        if (partition === 0 && message.offset === '3') {
          entered = true;
          await draining;
          await new Promise((resolve) => setTimeout(resolve, DRAIN_WORK_MS));
        }
      },
    });
    const events = record(c, 'batch.received');
    let atStop = -1;
    let drainStart = 0;
    c.on('consumer.state', ({ state }) => {
      if (state !== 'stopping') return;
      atStop = events['batch.received'].length;
      drainStart = Date.now();
      drainBegan();
    });
    await c.run();
    // Precondition: a handler is in flight when the drain begins, so the drain lasts DRAIN_WORK_MS.
    await waitFor(() => entered, { message: 'a handler is in flight' });
    const report = await c.disconnect();
    expect(report.drained).toBe(true);
    expect(Date.now() - drainStart).toBeGreaterThanOrEqual(DRAIN_WORK_MS - 50);
    // Before: KafkaJS re-fetched the unresolved offsets in a loop for the whole drain (hundreds of batches).
    expect(events['batch.received'].length - atStop).toBeLessThanOrEqual(2);
  });
});
