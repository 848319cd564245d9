import { HOT, HOT_KEY, spreadKey } from './child/keys.js';
import type { KeyedDataset } from './keyed-plan.js';
import { createReadyTopic, writeSeed } from './seed.js';

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
 * Creates `topic` with ONE partition (and its `.dlq`) and writes the dataset in offset order.
 * Returns the elapsed ms.
 */
export async function seedKeyedTopic(brokers: string[], topic: string, d: KeyedDataset): Promise<number> {
  const started = performance.now();
  await createReadyTopic(brokers, topic, 1);
  await createReadyTopic(brokers, `${topic}.dlq`, 1);
  await writeSeed(brokers, topic, d.count, (i) => ({ ...keyedMessage(i, d), partition: 0 }));
  return performance.now() - started;
}
