import { produceMessages, readCommittedOffsets, readEndOffsets, waitFor } from '@kafkakit/kafka-testkit';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { startHealthServer } from '../../src/observability/health/index.js';
import { registerConsumerMetrics } from '../../src/observability/prometheus/index.js';
import { metric, metricSum, probe } from './observability-support.js';
import { brokers, cleanupTopic, consumer, text, topic } from './support.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

describe('Prometheus metrics', () => {
  it('after 100 messages with 5 poison ones the counters are exact, per partition', async () => {
    const source = await topic('kc-obs-count', 2);
    cleanupTopic(`${source}.dlq`);
    // p0: 50 messages, poison at 3 and 30; p1: 50 messages, poison at 0, 25 and 49.
    const poison: Record<number, number[]> = { 0: [3, 30], 1: [0, 25, 49] };
    const messages = [0, 1].flatMap((partition) =>
      Array.from({ length: 50 }, (_, i) => ({
        partition,
        value: poison[partition]?.includes(i) ? `poison-${partition}-${i}` : `ok-${partition}-${i}`,
      })),
    );
    await produceMessages(brokers(), source, messages);
    const c = consumer({
      topics: [source],
      handler: async ({ message }) => {
        if (text(message.value)?.startsWith('poison')) throw new Error('poison');
      },
    });
    const registry = new Registry();
    const { close } = registerConsumerMetrics(c, { registry, lagRefreshMs: 500 });
    closers.push(close);
    await c.run();
    await waitFor(
      async () =>
        (await metricSum(registry, 'kafka_consumer_messages_processed_total')) +
          (await metricSum(registry, 'kafka_consumer_messages_dead_lettered_total')) ===
        100,
      { timeoutMs: 30_000, message: 'every message processed or dead-lettered' },
    );
    for (const partition of [0, 1]) {
      const tp = { topic: source, partition: String(partition) };
      const bad = poison[partition]?.length ?? 0;
      expect(await metric(registry, 'kafka_consumer_messages_processed_total', tp)).toBe(50 - bad);
      expect(await metric(registry, 'kafka_consumer_messages_dead_lettered_total', tp)).toBe(bad);
      // test support: maxRetries 3 -> 3 retries, then failed for good.
      expect(await metric(registry, 'kafka_consumer_messages_retried_total', tp)).toBe(bad * 3);
      expect(
        await metric(registry, 'kafka_consumer_messages_failed_total', { ...tp, retryable: 'true' }),
      ).toBe(bad);
    }
    expect(await metricSum(registry, 'kafka_consumer_handler_duration_seconds', '_count')).toBe(95);
    expect(await metric(registry, 'kafka_consumer_rebalances_total')).toBe(1);
    expect(await metric(registry, 'kafka_consumer_assigned_partitions')).toBe(2);
    expect(await metric(registry, 'kafka_consumer_handlers_in_flight')).toBe(0);
    expect(await metric(registry, 'kafka_consumer_state', { state: 'running' })).toBe(1);
    expect(await metric(registry, 'kafka_consumer_commit_failures_total')).toBe(0);

    // Everything committed: lag 0 for both partitions, the same as end - committed read back.
    await expect
      .poll(async () => [
        await metric(registry, 'kafka_consumer_lag', { topic: source, partition: '0' }),
        await metric(registry, 'kafka_consumer_lag', { topic: source, partition: '1' }),
      ])
      .toEqual([0, 0]);
    const ends = await readEndOffsets(brokers(), source);
    const committed = await readCommittedOffsets(brokers(), c.options.groupId, source);
    expect(ends).toEqual({ 0: '50', 1: '50' });
    expect(committed).toEqual({ 0: '50', 1: '50' });
    expect(await metricSum(registry, 'kafka_consumer_commit_duration_seconds', '_count')).toBeGreaterThan(0);
  });

  it('a stopped partition shows in /readyz and /metrics with its reason; its lag counts but it is not "stuck"', async () => {
    const source = await topic('kc-obs-stop');
    await produceMessages(brokers(), source, [{ value: 'ok' }, { value: 'poison' }, { value: 'ok' }]);
    let poisonCalls = 0;
    const c = consumer({
      topics: [source],
      deadLetter: false,
      retry: { maxRetries: 0 },
      // Fails the first time only, so resuming the partition lets it through.
      handler: async ({ message }) => {
        if (text(message.value) === 'poison' && poisonCalls++ === 0) throw new Error('poison');
      },
    });
    const registry = new Registry();
    const metrics = registerConsumerMetrics(c, { registry, lagRefreshMs: 300 });
    closers.push(metrics.close);
    const server = await startHealthServer(c, { port: 0, host: '127.0.0.1', registry, stuckAfterMs: 500 });
    closers.push(server.close);
    await c.run();
    await waitFor(() => c.health().stoppedPartitions.length === 1, { message: 'partition stopped' });

    const readyz = await probe(server.port, '/readyz');
    expect(readyz.status).toBe(200);
    expect(readyz.body.stoppedPartitions).toMatchObject([
      {
        topic: source,
        partition: 0,
        reason: 'retries-exhausted',
        offset: '1',
        attempts: 1,
        error: 'Error: poison',
      },
    ]);
    const labels = { topic: source, partition: '0', reason: 'retries-exhausted' };
    expect(await metric(registry, 'kafka_consumer_partition_stopped', labels)).toBe(1);
    expect(await metric(registry, 'kafka_consumer_partition_paused', labels)).toBe(1);
    await expect
      .poll(() => metric(registry, 'kafka_consumer_lag', { topic: source, partition: '0' }))
      .toBe(2);
    // Held by the runtime on purpose: longer than stuckAfterMs without progress, still live.
    await expect
      .poll(() =>
        metric(registry, 'kafka_consumer_partition_idle_seconds', { topic: source, partition: '0' }),
      )
      .toBeGreaterThan(0.5);
    expect((await probe(server.port, '/livez')).status).toBe(200);
    expect(await metric(registry, 'kafka_consumer_stuck')).toBe(0);

    expect(c.resumePartition(source, 0)).toBe(true);
    await expect
      .poll(() => metric(registry, 'kafka_consumer_lag', { topic: source, partition: '0' }))
      .toBe(0);
    expect(await metric(registry, 'kafka_consumer_partition_stopped', labels)).toBeUndefined();
    expect(poisonCalls).toBe(2);
  });
});
