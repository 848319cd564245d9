import { createTopic, testClient } from '@kafkakit/kafka-testkit';
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
 * Creates `topic` (3 partitions) and its `.dlq`, then writes `count` null-key messages of `size`
 * bytes round-robin over the partitions with a fast producer: 2,000-message batches, 4 requests
 * in flight, acks=1, no compression. Returns the elapsed milliseconds.
 */
export async function seedTopic(
  brokers: string[],
  topic: string,
  count: number,
  size: number,
): Promise<number> {
  const started = performance.now();
  await createTopic(brokers, topic, PARTITIONS);
  await createTopic(brokers, `${topic}.dlq`, 1);
  const producer = testClient(brokers, 'kafkakit-bench-seed').producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    const inFlight = new Set<Promise<unknown>>();
    for (let start = 0; start < count; start += BATCH) {
      const end = Math.min(count, start + BATCH);
      const messages = [];
      for (let i = start; i < end; i++) {
        messages.push({ key: null, value: seedValue(i, size), partition: i % PARTITIONS });
      }
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
  return performance.now() - started;
}
