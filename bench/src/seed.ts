import { createTopic, readEndOffsets, testClient, waitFor } from '@kafkakit/kafka-testkit';
import { CompressionTypes } from 'kafkajs';
import { POISON } from './child/handler.js';

export const PARTITIONS = 3;
const BATCH = 2000;
const IN_FLIGHT = 4;

/** Every 100th message (index % 100 === 0) is poison for the DLQ workload; the rest start with 'x'. */
export function seedValue(index: number, size: number): Buffer {
  const value = Buffer.alloc(size, 0x78);
  if (index % 100 === 0) value[0] = POISON;
  return value;
}

/**
 * Creates a topic and waits until every partition answers a ListOffsets request. KafkaJS's own
 * waitForLeaders can fail with UNKNOWN_TOPIC_OR_PARTITION on a busy broker while the topic is
 * being created; that is tolerated here and the wait continues.
 */
export async function createReadyTopic(brokers: string[], topic: string, partitions: number): Promise<void> {
  try {
    await createTopic(brokers, topic, partitions);
  } catch (error) {
    process.stderr.write(`creating ${topic}: ${String(error)}; waiting for its partitions\n`);
  }
  await waitFor(async () => Object.keys(await readEndOffsets(brokers, topic)).length === partitions, {
    timeoutMs: 60_000,
    intervalMs: 250,
    message: `${topic} never had ${partitions} partitions ready`,
  });
}

/** One seeded record: what the producer sends for message `index`. */
export type SeedMessage = { key: string | null; value: Buffer; partition: number };

/**
 * Writes `count` messages made by `make` to `topic` with a fast producer: 2,000-message batches,
 * 4 requests in flight, acks=1, no compression (shared by every seeded dataset).
 */
export async function writeSeed(
  brokers: string[],
  topic: string,
  count: number,
  make: (index: number) => SeedMessage,
): Promise<void> {
  const producer = testClient(brokers, 'kafkakit-bench-seed').producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    const inFlight = new Set<Promise<unknown>>();
    for (let start = 0; start < count; start += BATCH) {
      const end = Math.min(count, start + BATCH);
      const messages: SeedMessage[] = [];
      for (let i = start; i < end; i++) messages.push(make(i));
      const send = producer.send({ topic, acks: 1, compression: CompressionTypes.None, messages });
      inFlight.add(send);
      const settle = () => inFlight.delete(send);
      send.then(settle, settle);
      if (inFlight.size >= IN_FLIGHT) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
  } finally {
    await producer.disconnect();
  }
}

/**
 * Creates `topic` (3 partitions) and its `.dlq`, then writes `count` null-key messages of `size`
 * bytes round-robin over the partitions. Returns the elapsed milliseconds.
 */
export async function seedTopic(
  brokers: string[],
  topic: string,
  count: number,
  size: number,
): Promise<number> {
  const started = performance.now();
  await createReadyTopic(brokers, topic, PARTITIONS);
  await createReadyTopic(brokers, `${topic}.dlq`, 1);
  await writeSeed(brokers, topic, count, (i) => ({
    key: null,
    value: seedValue(i, size),
    partition: i % PARTITIONS,
  }));
  return performance.now() - started;
}
