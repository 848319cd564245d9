import { type Registry, register } from 'prom-client';
import type { KafkaConsumer } from '../../consumer.js';
import { acquireWatch } from '../watch/shared.js';
import type { HistogramSeries } from './local-histogram.js';
import { type ConsumerMetrics, createMetrics } from './metrics.js';
import { Tallies } from './tally.js';

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
  const tallies = new Tallies();
  const metrics = createMetrics(registry, prefix, consumer, watch, tallies);
  const { handlerDuration } = metrics;
  let lastTopic: string | undefined;
  let lastSeries: HistogramSeries | undefined;
  const durations = (topic: string): HistogramSeries => {
    if (topic !== lastTopic || lastSeries === undefined) {
      lastTopic = topic;
      lastSeries = handlerDuration.series(topic);
    }
    return lastSeries;
  };

  const off = [
    consumer.on('message.processed', (m) => {
      tallies.of(m.topic, m.partition).processed++;
      handlerDuration.observe(durations(m.topic), m.durationMs / 1000);
    }),
    consumer.on('message.retrying', (m) => void tallies.of(m.topic, m.partition).retried++),
    consumer.on('message.failed', (m) => {
      const tally = tallies.of(m.topic, m.partition);
      if (m.retryable) tally.failedRetryable++;
      else tally.failedFinal++;
    }),
    consumer.on('message.dead-lettered', (m) => void tallies.of(m.topic, m.partition).deadLettered++),
    consumer.on('offsets.committed', ({ reason, durationMs }) => {
      if (durationMs !== undefined) metrics.commitDuration.observe({ reason }, durationMs / 1000);
    }),
    consumer.on('offsets.commit-failed', () => metrics.commitFailures.inc()),
    consumer.on('group.rebalanced', () => metrics.rebalances.inc()),
    consumer.on('consumer.crashed', () => metrics.crashes.inc()),
    consumer.on('message.waiting-for-dependency', (m) =>
      metrics.dependencyWaits.inc({ dependency: m.dependency }),
    ),
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
    metrics.dependencyWaits,
    ...metrics.gauges,
  ];
  let closed = false;
  return {
    metrics,
    close: async () => {
      if (closed) return;
      closed = true;
      for (const f of off) f();
      for (const m of all) registry.removeSingleMetric((m as { name?: string }).name as string);
      await release();
    },
  };
}
