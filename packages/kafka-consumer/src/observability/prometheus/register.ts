import { type Registry, register } from 'prom-client';
import type { KafkaConsumer } from '../../consumer.js';
import type { KafkaConsumerError } from '../../errors.js';
import { acquireWatch } from '../watch/shared.js';
import { type ConsumerMetrics, createMetrics } from './metrics.js';

export interface ConsumerMetricsOptions {
  /** Where the metrics are registered. @default prom-client's global `register` */
  registry?: Registry;
  /** Prefix of every metric name. @default 'kafka_consumer_' */
  prefix?: string;
  /** How often end and committed offsets are re-read through the admin API (lag of an idle or stuck consumer). @default 10000 */
  lagRefreshMs?: number;
  /** Lag > 0 and nothing finished for this long = stuck (the `stuck` gauge). @default 60000 */
  stuckAfterMs?: number;
}

/** Counters cache their label children: one Map lookup per message instead of prom-client's label hashing. */
function childCache<C>(make: (topic: string, partition: number) => C) {
  const cache = new Map<string, Map<number, C>>();
  return (topic: string, partition: number): C => {
    let byPartition = cache.get(topic);
    if (byPartition === undefined) {
      byPartition = new Map();
      cache.set(topic, byPartition);
    }
    let child = byPartition.get(partition);
    if (child === undefined) {
      child = make(topic, partition);
      byPartition.set(partition, child);
    }
    return child;
  };
}

/**
 * Registers Prometheus metrics for a consumer (see the README's metrics table). Listens only to
 * the consumer's events and reads `health()` at scrape time; `close()` unregisters everything.
 */
export function registerConsumerMetrics(
  consumer: KafkaConsumer,
  options: ConsumerMetricsOptions = {},
): { metrics: ConsumerMetrics; close: () => Promise<void> } {
  const registry = options.registry ?? register;
  const prefix = options.prefix ?? 'kafka_consumer_';
  const { watch, release } = acquireWatch(consumer, options);
  const metrics = createMetrics(registry, prefix, consumer, watch);
  const tp = (topic: string, partition: number) => ({ topic, partition: String(partition) });
  const processed = childCache((t, p) => metrics.processed.labels(tp(t, p)));
  const duration = childCache((topic) => metrics.handlerDuration.labels({ topic }));
  const retried = childCache((t, p) => metrics.retried.labels(tp(t, p)));
  const deadLettered = childCache((t, p) => metrics.deadLettered.labels(tp(t, p)));

  const off = [
    consumer.on('message.processed', (m) => {
      processed(m.topic, m.partition).inc();
      duration(m.topic, 0).observe(m.durationMs / 1000);
    }),
    consumer.on('message.retrying', (m) => retried(m.topic, m.partition).inc()),
    consumer.on('message.failed', (m) =>
      metrics.failed.inc({ ...tp(m.topic, m.partition), retryable: String(m.retryable) }),
    ),
    consumer.on('message.dead-lettered', (m) => deadLettered(m.topic, m.partition).inc()),
    consumer.on('offsets.committed', ({ reason, durationMs }) => {
      if (durationMs !== undefined) metrics.commitDuration.observe({ reason }, durationMs / 1000);
    }),
    consumer.on('error', ({ error }) => {
      if ((error as Partial<KafkaConsumerError>).code === 'COMMIT_FAILED') metrics.commitFailures.inc();
    }),
    consumer.on('group.rebalanced', () => metrics.rebalances.inc()),
    consumer.on('consumer.crashed', () => metrics.crashes.inc()),
  ];
  const all = [
    metrics.processed,
    metrics.failed,
    metrics.retried,
    metrics.deadLettered,
    metrics.handlerDuration,
    metrics.commitDuration,
    metrics.commitFailures,
    metrics.rebalances,
    metrics.crashes,
    ...metrics.gauges,
  ];
  let closed = false;
  return {
    metrics,
    close: async () => {
      if (closed) return;
      closed = true;
      for (const f of off) f();
      for (const m of all) registry.removeSingleMetric((m as unknown as { name: string }).name);
      await release();
    },
  };
}
