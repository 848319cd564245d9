import { Registry } from 'prom-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createShareConsumer, type KafkaConsumer, noopLogger } from '../../../src/index.js';
import { registerConsumerMetrics } from '../../../src/observability/prometheus/index.js';
import { metric, metricSum } from '../observability-support.js';
import { brokers, earliestGroup, produceBatches, topic } from './support.js';

const closers: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

describe('createShareConsumer: /prometheus unchanged', () => {
  it('counts processed, retried and rejected records, and the state, as for a consumer group', async () => {
    const name = await topic('kc-share-metrics');
    const groupId = await earliestGroup();
    const c: KafkaConsumer = createShareConsumer({
      brokers: brokers(),
      groupId,
      topics: [name],
      maxWaitTimeMs: 200,
      deadLetter: false,
      retry: { maxRetries: 2, initialDelayMs: 10, maxDelayMs: 20 },
      shutdown: { signals: [], drainTimeoutMs: 3000 },
      logger: noopLogger,
      handler: async ({ message }) => {
        if (message.value?.toString() === 'm3') throw new Error('poison');
      },
    });
    closers.push(() => c.disconnect().then(() => undefined));
    const registry = new Registry();
    const { close } = registerConsumerMetrics(c, { registry, lagRefreshMs: 60_000 });
    closers.unshift(close);
    await c.run();
    await produceBatches(name, 2, 10);
    const tp = { topic: name, partition: '0' };
    await vi.waitFor(
      async () => expect(await metric(registry, 'kafka_consumer_messages_processed_total', tp)).toBe(19),
      {
        timeout: 20_000,
      },
    );
    await vi.waitFor(async () =>
      expect(
        await metric(registry, 'kafka_consumer_messages_failed_total', { ...tp, retryable: 'true' }),
      ).toBe(1),
    );
    expect(await metric(registry, 'kafka_consumer_messages_retried_total', tp)).toBe(2);
    expect(await metric(registry, 'kafka_consumer_state', { state: 'running' })).toBe(1);
    expect(await metric(registry, 'kafka_consumer_assigned_partitions')).toBe(1);
    expect(await metricSum(registry, 'kafka_consumer_handler_duration_seconds', '_count')).toBe(19);
  });

  it('lag is the share lag (DescribeShareGroupOffsets v1): the unacknowledged records while a handler waits, 0 once all are acknowledged', async () => {
    // The broker reports a share partition's offsets once its state was first written (the first
    // acknowledgement): m0 is accepted at once, the others wait for the gate.
    const name = await topic('kc-share-lag');
    const groupId = await earliestGroup();
    let open!: () => void;
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    let handled = 0;
    const c: KafkaConsumer = createShareConsumer({
      brokers: brokers(),
      groupId,
      topics: [name],
      maxWaitTimeMs: 200,
      deadLetter: false,
      concurrency: 1,
      shutdown: { signals: [], drainTimeoutMs: 3000 },
      logger: noopLogger,
      handler: async ({ message }) => {
        if (message.value?.toString() !== 'm0') await gate;
        handled++;
      },
    });
    closers.push(() => c.disconnect().then(() => undefined));
    const registry = new Registry();
    const { close } = registerConsumerMetrics(c, { registry, lagRefreshMs: 200 });
    closers.unshift(close);
    await c.run();
    await produceBatches(name, 1, 6);
    const tp = { topic: name, partition: '0' };
    // m0 acknowledged, m1 in its handler, m2-m5 acquired and waiting: 5 records of lag.
    await vi.waitFor(async () => expect(await metric(registry, 'kafka_consumer_lag', tp)).toBe(5), {
      timeout: 20_000,
    });
    const [read] = await c.readOffsets();
    expect(read).toMatchObject({ topic: name, partition: 0, end: '6', committed: '1' });
    expect(handled).toBe(1);
    open();
    await vi.waitFor(() => expect(handled).toBe(6), { timeout: 20_000 });
    await vi.waitFor(async () => expect(await metric(registry, 'kafka_consumer_lag', tp)).toBe(0), {
      timeout: 20_000,
    });
    expect((await c.readOffsets())[0]).toMatchObject({ end: '6', committed: '6' });
  });
});
