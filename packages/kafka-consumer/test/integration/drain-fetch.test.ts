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
    let release: () => void = () => undefined;
    const hung = new Promise<void>((resolve) => {
      release = resolve;
    });
    let entered = false;
    const c = consumer({
      topics: [source],
      ordering,
      concurrency: 2,
      shutdown: { signals: [], drainTimeoutMs: 5000 },
      handler: async ({ message, partition }) => {
        if (partition === 0 && message.offset === '3') {
          entered = true;
          await hung;
        }
      },
    });
    const events = record(c, 'batch.received');
    await c.run();
    await waitFor(() => entered, { message: 'a handler is in flight' });
    const stopping = c.disconnect();
    const atStop = events['batch.received'].length;
    // The drain lasts as long as the hung handler: let it run for a while, then release it.
    await waitFor(() => c.health().state === 'stopping', { message: 'stopping' });
    const drainStart = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    release();
    const report = await stopping;
    expect(report.drained).toBe(true);
    expect(Date.now() - drainStart).toBeGreaterThanOrEqual(1500);
    // Before: KafkaJS re-fetched the unresolved offsets in a loop for the whole drain (hundreds of batches).
    expect(events['batch.received'].length - atStop).toBeLessThanOrEqual(2);
  });
});
