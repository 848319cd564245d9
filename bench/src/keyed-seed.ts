import { testClient } from '@kafkakit/kafka-testkit';
import { CompressionTypes } from 'kafkajs';
import { HOT, HOT_KEY, spreadKey } from './child/keys.js';
import type { KeyedDataset } from './keyed-plan.js';
import { createReadyTopic } from './seed.js';

const BATCH = 2000;
const IN_FLIGHT = 4;

/**
 * The index-th message of a keyed dataset. hotShare 0.5: even indexes carry the key 'hot' (value
 * starting with 'H'), odd ones spread round-robin over the keys; hotShare 0: every message spread.
 * Other values are 'x' repeated (no poison messages).
 */
export function keyedMessage(index: number, d: KeyedDataset): { key: string; value: Buffer } {
  const value = Buffer.alloc(d.size, 0x78);
  if (d.hotShare === 0) return { key: spreadKey(index, d.keys), value };
  if (index % 2 === 0) {
    value[0] = HOT;
    return { key: HOT_KEY, value };
  }
  return { key: spreadKey(index >> 1, d.keys), value };
}

/**
 * Creates `topic` with ONE partition (and its `.dlq`) and writes the dataset in offset order,
 * 2,000-message batches, 4 requests in flight, acks=1, no compression. Returns the elapsed ms.
 */
export async function seedKeyedTopic(brokers: string[], topic: string, d: KeyedDataset): Promise<number> {
  const started = performance.now();
  await createReadyTopic(brokers, topic, 1);
  await createReadyTopic(brokers, `${topic}.dlq`, 1);
  const producer = testClient(brokers, 'kafkakit-bench-seed-keyed').producer({
    allowAutoTopicCreation: false,
  });
  await producer.connect();
  try {
    const inFlight = new Set<Promise<unknown>>();
    for (let start = 0; start < d.count; start += BATCH) {
      const end = Math.min(d.count, start + BATCH);
      const messages = [];
      for (let i = start; i < end; i++) messages.push({ ...keyedMessage(i, d), partition: 0 });
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
