import { Kafka, logLevel } from 'kafkajs';
import type { ChildSpec } from '../types.js';
import type { Work } from './handler.js';
import type { Meter } from './meter.js';

/**
 * Raw KafkaJS as a user would hand-roll it: eachMessage with default auto-commit, or eachBatch
 * following the KafkaJS documentation loop (work, resolveOffset, heartbeat per message; default
 * eachBatchAutoResolve + auto-commit after the batch).
 */
export async function runKafkaJs(
  spec: ChildSpec,
  meter: Meter,
  work: Work,
  style: 'eachMessage' | 'eachBatch',
): Promise<void> {
  const kafka = new Kafka({ brokers: spec.brokers, clientId: 'bench-kafkajs', logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: spec.groupId });
  await consumer.connect();
  await consumer.subscribe({ topics: [spec.topic], fromBeginning: true });
  if (spec.mode === 'latency') {
    consumer.on(consumer.events.COMMIT_OFFSETS, ({ payload }) => {
      for (const topic of payload.topics) {
        for (const p of topic.partitions) meter.committed(p.partition, p.offset);
      }
    });
  }
  if (style === 'eachMessage') {
    await consumer.run({
      partitionsConsumedConcurrently: spec.concurrency,
      eachMessage: async ({ partition, message }) => {
        await work();
        meter.seen(partition, message.offset, message.value);
      },
    });
    return;
  }
  await consumer.run({
    partitionsConsumedConcurrently: spec.concurrency,
    eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
      for (const message of batch.messages) {
        if (!isRunning() || isStale()) break;
        await work();
        meter.seen(batch.partition, message.offset, message.value);
        resolveOffset(message.offset);
        await heartbeat();
      }
    },
  });
}
