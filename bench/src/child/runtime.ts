import {
  type CommitOption,
  createConsumer,
  type KafkaConsumer,
  NonRetryableError,
  noopLogger,
} from '@kafkakit/kafka-consumer';
import type { ChildSpec } from '../types.js';
import { POISON, type Work } from './handler.js';
import type { Meter } from './meter.js';

const COMMIT: Record<string, CommitOption> = {
  'runtime-per-message': 'per-message',
  'runtime-per-batch': 'per-batch',
  'runtime-per-batch-metrics': 'per-batch',
  'runtime-interval': { strategy: 'interval', intervalMs: 1000 },
  'runtime-dlq-1pct': 'per-batch',
};

async function withMetrics(consumer: KafkaConsumer): Promise<void> {
  const { Registry } = await import('prom-client');
  const { registerConsumerMetrics } = await import('@kafkakit/kafka-consumer/prometheus');
  const registry = new Registry();
  registerConsumerMetrics(consumer, { registry });
  setInterval(() => void registry.metrics(), 1000).unref();
}

/**
 * The runtime with its defaults (DLQ on, retries on) except: a silent logger, no signal handling
 * (the child exits itself), the commit strategy under test. The DLQ contender's handler throws
 * NonRetryableError for the 1% poison messages, which go straight to `${topic}.dlq`.
 */
export async function runRuntime(spec: ChildSpec, meter: Meter, work: Work): Promise<void> {
  const commit = COMMIT[spec.contender];
  if (commit === undefined) throw new Error(`${spec.contender} is not a runtime contender`);
  const poison = spec.contender === 'runtime-dlq-1pct';
  const consumer = createConsumer({
    brokers: spec.brokers,
    groupId: spec.groupId,
    topics: [spec.topic],
    fromBeginning: true,
    commit,
    concurrency: spec.concurrency,
    logger: noopLogger,
    shutdown: { signals: [] },
    handler: async ({ partition, message }) => {
      await work();
      meter.seen(partition, message.offset, message.value);
      if (poison && message.value?.[0] === POISON) throw new NonRetryableError('poison message');
    },
  });
  if (poison) consumer.on('message.dead-lettered', () => meter.deadLettered++);
  if (spec.mode === 'latency') {
    consumer.on('offsets.committed', ({ offsets }) => {
      for (const o of offsets) meter.committed(o.partition, o.offset);
    });
  }
  // The Prometheus instrumentation on, scraped every second (a real Prometheus scrapes every 15-60 s).
  if (spec.contender === 'runtime-per-batch-metrics') await withMetrics(consumer);
  await consumer.connect();
  await consumer.run();
}
