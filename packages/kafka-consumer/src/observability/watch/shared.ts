import type { KafkaConsumer } from '../../consumer.js';
import { ConsumerWatch, type WatchOptions } from './consumer-watch.js';

interface Entry {
  watch: ConsumerWatch;
  refs: number;
}

const watches = new WeakMap<KafkaConsumer, Entry>();

/**
 * One watch per consumer, shared by the metrics and the health server (one admin connection, one
 * notion of "stuck"). Released when its last user calls `release()`.
 */
export function acquireWatch(
  consumer: KafkaConsumer,
  options: WatchOptions = {},
): { watch: ConsumerWatch; release: () => Promise<void> } {
  let entry = watches.get(consumer);
  if (entry === undefined) {
    entry = { watch: new ConsumerWatch(consumer, options), refs: 0 };
    watches.set(consumer, entry);
  } else entry.watch.configure(options);
  entry.refs++;
  const held = entry;
  let released = false;
  return {
    watch: held.watch,
    release: async () => {
      if (released) return;
      released = true;
      held.refs--;
      if (held.refs === 0) {
        if (watches.get(consumer) === held) watches.delete(consumer);
        await held.watch.close();
      }
    },
  };
}
