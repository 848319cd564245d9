import { Counter, Gauge, Histogram, type Metric, type Registry } from 'prom-client';
import type { KafkaConsumer } from '../../consumer.js';
import type { ConsumerWatch } from '../watch/consumer-watch.js';
import { CONSUMER_STATES } from '../watch/consumer-watch.js';
import { LocalHistogram } from './local-histogram.js';
import type { PartitionTally, Tallies } from './tally.js';

const HANDLER_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
const COMMIT_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

const TP = ['topic', 'partition'] as const;

/** Every metric registerConsumerMetrics creates, by role. Names are `${prefix}${suffix}`. */
export function createMetrics(
  registry: Registry,
  prefix: string,
  consumer: KafkaConsumer,
  watch: ConsumerWatch,
  tallies: Tallies,
) {
  const registers = [registry];
  // Per-message counters are plain numbers (Tallies) copied into prom-client at scrape time.
  const tallied = <L extends string>(
    suffix: string,
    help: string,
    labelNames: readonly L[],
    read: (t: PartitionTally, set: (labels: Record<string, string>, n: number) => void) => void,
  ) =>
    new Counter<L>({
      name: `${prefix}${suffix}`,
      help,
      labelNames,
      registers,
      collect() {
        this.reset();
        for (const t of tallies.all()) {
          read(t, (labels, n) => {
            if (n > 0) this.inc(labels as never, n);
          });
        }
      },
    });
  const counter = <L extends string>(suffix: string, help: string, labelNames: readonly L[]) =>
    new Counter<L>({ name: `${prefix}${suffix}`, help, labelNames, registers });
  const histogram = <L extends string>(
    suffix: string,
    help: string,
    labelNames: readonly L[],
    buckets: number[],
  ) => new Histogram<L>({ name: `${prefix}${suffix}`, help, labelNames, buckets, registers });
  const localHistogram = (suffix: string, help: string, labelName: string, buckets: number[]) => {
    const metric = new LocalHistogram(`${prefix}${suffix}`, help, labelName, buckets);
    registry.registerMetric(metric as unknown as Metric);
    return metric;
  };
  // Gauges read at scrape time (collect): health() and the watch, nothing on the hot path.
  const gauge = <L extends string>(
    suffix: string,
    help: string,
    labelNames: readonly L[],
    collect: (g: Gauge<L>) => void,
  ) =>
    new Gauge<L>({
      name: `${prefix}${suffix}`,
      help,
      labelNames,
      registers,
      collect() {
        this.reset();
        collect(this);
      },
    });

  const tpLabels = (topic: string, partition: number) => ({ topic, partition: String(partition) });

  return {
    processed: tallied('messages_processed_total', 'Messages whose handler resolved.', TP, (t, set) =>
      set(tpLabels(t.topic, t.partition), t.processed),
    ),
    failed: tallied(
      'messages_failed_total',
      'Messages that failed for good (retries exhausted or non-retryable); they go to the DLQ or stop their partition.',
      [...TP, 'retryable'],
      (t, set) => {
        set({ ...tpLabels(t.topic, t.partition), retryable: 'true' }, t.failedRetryable);
        set({ ...tpLabels(t.topic, t.partition), retryable: 'false' }, t.failedFinal);
      },
    ),
    retried: tallied(
      'messages_retried_total',
      'Handler attempts that failed and are retried.',
      TP,
      (t, set) => set(tpLabels(t.topic, t.partition), t.retried),
    ),
    deadLettered: tallied(
      'messages_dead_lettered_total',
      'Failed messages durably written to the dead-letter topic.',
      TP,
      (t, set) => set(tpLabels(t.topic, t.partition), t.deadLettered),
    ),
    handlerDuration: localHistogram(
      'handler_duration_seconds',
      'Duration of handler calls that resolved, per topic.',
      'topic',
      HANDLER_BUCKETS,
    ),
    commitDuration: histogram(
      'commit_duration_seconds',
      'Offset commit latency (sent to acknowledged), by reason.',
      ['reason'],
      COMMIT_BUCKETS,
    ),
    commitFailures: counter(
      'commit_failures_total',
      'Offset commits that failed for good (after in-place retries, or fenced).',
      [],
    ),
    rebalances: counter('rebalances_total', 'Group joins this member completed (first join included).', []),
    crashes: counter('crashes_total', 'Client crashes (KafkaJS CRASH events).', []),
    dependencyWaits: counter(
      'dependency_waits_total',
      'Handler attempts that threw DependencyUnavailableError and wait (retried apart, never dead-lettered), by dependency.',
      ['dependency'],
    ),
    gauges: [
      gauge('handlers_in_flight', 'Handler calls running now.', [], (g) => g.set(consumer.health().inFlight)),
      gauge(
        'waiting_for_dependency',
        'Messages waiting now for an unavailable dependency (DependencyUnavailableError); 0 when all answer.',
        [],
        (g) => g.set(consumer.health().waitingForDependency.messages),
      ),
      gauge(
        'waiting_for_dependency_seconds',
        'Seconds the longest wait for an unavailable dependency has lasted (0 when none waits).',
        [],
        (g) => {
          const { since } = consumer.health().waitingForDependency;
          g.set(since === null ? 0 : Math.max(0, (Date.now() - since) / 1000));
        },
      ),
      gauge('assigned_partitions', 'Partitions assigned to this member.', [], (g) =>
        g.set(consumer.health().assignedPartitions.length),
      ),
      gauge(
        'partition_paused',
        '1 per partition the runtime paused, with the reason (dead-letter-failed, retries-exhausted).',
        [...TP, 'reason'],
        (g) => {
          for (const h of watch.holds()) g.set({ ...tpLabels(h.topic, h.partition), reason: h.reason }, 1);
        },
      ),
      gauge(
        'partition_stopped',
        '1 per partition stopped (reason retries-exhausted: a message out of retries with the DLQ disabled; undecodable-batch: a batch that cannot be decoded); resumePartition to retry.',
        [...TP, 'reason'],
        (g) => {
          for (const h of watch.holds()) {
            if (h.reason !== 'dead-letter-failed')
              g.set({ ...tpLabels(h.topic, h.partition), reason: h.reason }, 1);
          }
        },
      ),
      gauge('lag', 'Consumer lag: partition end offset minus the group committed offset.', TP, (g) => {
        for (const p of watch.partitions())
          if (p.lag !== undefined) g.set(tpLabels(p.topic, p.partition), p.lag);
      }),
      gauge('end_offset', 'Partition end offset (high watermark) as last fetched or refreshed.', TP, (g) => {
        for (const p of watch.partitions())
          if (p.end !== undefined) g.set(tpLabels(p.topic, p.partition), p.end);
      }),
      gauge('committed_offset', 'Group committed offset (next offset to read).', TP, (g) => {
        for (const p of watch.partitions()) {
          if (p.committed !== undefined) g.set(tpLabels(p.topic, p.partition), p.committed);
        }
      }),
      gauge(
        'partition_idle_seconds',
        'Seconds since a message finished on the partition (or since it was assigned).',
        TP,
        (g) => {
          for (const p of watch.partitions()) g.set(tpLabels(p.topic, p.partition), p.idleSeconds);
        },
      ),
      gauge(
        'partition_waiting_seconds',
        'Seconds the partition has had lag > 0 with no message finishing there (0 without lag): a hang on one partition shows here even while others progress.',
        TP,
        (g) => {
          for (const p of watch.partitions()) g.set(tpLabels(p.topic, p.partition), p.waitingSeconds);
        },
      ),
      gauge('seconds_since_progress', 'Seconds since the consumer last finished a message.', [], (g) =>
        g.set(watch.secondsSinceProgress()),
      ),
      gauge('stuck', '1 while lag > 0 and no message finished for stuckAfterMs on some partition.', [], (g) =>
        g.set(watch.evaluate() === undefined ? 0 : 1),
      ),
      gauge('state', 'Lifecycle state: 1 for the current one.', ['state'], (g) => {
        for (const state of CONSUMER_STATES) g.set({ state }, state === watch.state ? 1 : 0);
      }),
    ],
  };
}

export type ConsumerMetrics = ReturnType<typeof createMetrics>;
