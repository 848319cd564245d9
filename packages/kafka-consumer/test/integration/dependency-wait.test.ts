import { produceMessages, readCommittedOffsets, waitFor } from '@kafkakit/kafka-testkit';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { DependencyUnavailableError } from '../../src/index.js';
import { startHealthServer } from '../../src/observability/health/index.js';
import { registerConsumerMetrics } from '../../src/observability/prometheus/index.js';
import { metric, probe } from './observability-support.js';
import { brokers, cleanupTopic, consumer, record, topic } from './support.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

describe('a dependency is unavailable (real broker)', () => {
  it('waits past maxRetries and stuckAfterMs: /livez stays live, the wait shows in health(), /livez and the metrics; then it applies', async () => {
    const source = await topic('kc-dep-wait');
    cleanupTopic(`${source}.dlq`);
    await produceMessages(brokers(), source, 3);
    let available = false;
    const c = consumer({
      topics: [source],
      retry: {
        maxRetries: 1,
        initialDelayMs: 10,
        maxDelayMs: 20,
        unavailable: { initialDelayMs: 20, maxDelayMs: 100 },
      },
      handler: async ({ message }) => {
        if (message.offset === '1' && !available)
          throw new DependencyUnavailableError('ledger service down', { dependency: 'ledger' });
      },
    });
    const events = record(
      c,
      'message.waiting-for-dependency',
      'dependency.recovered',
      'message.dead-lettered',
    );
    const registry = new Registry();
    const metrics = registerConsumerMetrics(c, { registry, lagRefreshMs: 300 });
    cleanups.push(metrics.close);
    const stuckAfterMs = 1000;
    const server = await startHealthServer(c, { port: 0, host: '127.0.0.1', registry, stuckAfterMs });
    cleanups.push(server.close);
    await c.run();
    // Past the stuck threshold: the watch calls the partition stuck (the precondition), yet /livez stays live.
    await expect.poll(() => metric(registry, 'kafka_consumer_stuck'), { timeout: 15_000 }).toBe(1);
    expect(events['message.waiting-for-dependency'].length).toBeGreaterThan(2);
    const livez = await probe(server.port, '/livez');
    expect(livez.status).toBe(200);
    expect(livez.body).toMatchObject({
      status: 'live',
      waitingForDependency: { messages: 1, dependencies: ['ledger'], lastError: 'ledger service down' },
    });
    expect(c.health()).toMatchObject({ status: 'healthy', waitingForDependency: { messages: 1 } });
    expect(await metric(registry, 'kafka_consumer_waiting_for_dependency')).toBe(1);
    expect(await metric(registry, 'kafka_consumer_waiting_for_dependency_seconds')).toBeGreaterThanOrEqual(1);
    expect(
      await metric(registry, 'kafka_consumer_dependency_waits_total', { dependency: 'ledger' }),
    ).toBeGreaterThan(2);
    available = true;
    await waitFor(() => events['dependency.recovered'].length === 1, { message: 'the wait ended' });
    await waitFor(async () => (await readCommittedOffsets(brokers(), c.options.groupId, source))[0] === '3', {
      message: 'all three committed',
    });
    expect(events['message.dead-lettered']).toHaveLength(0);
    expect(await metric(registry, 'kafka_consumer_waiting_for_dependency')).toBe(0);
  });
});
