import { Consumer, MessagesStreamModes } from '@platformatic/kafka';
import type { ChildSpec } from '../types.js';
import type { Work } from './handler.js';
import type { Meter } from './meter.js';

/**
 * Messages queued per partition before the reader waits (concurrency > 1 only). The stream yields
 * a whole fetched batch of one partition before the next partition's, so the queue must hold a
 * 1 MB fetch of 100 B records (~8,000) for the next partitions to be reached and run concurrently.
 */
const QUEUE_LIMIT = 10_000;

/**
 * @platformatic/kafka's stream consumer with its default autocommit (which commits offsets when
 * records are fetched, not when the handler finished) and a 1 MB per-partition fetch size (KafkaJS's
 * default, otherwise one partition can fill a whole fetch). Concurrency 1: `for await` with the work
 * awaited per message. Concurrency > 1: one ordered chain per partition.
 */
export async function runPlatformatic(spec: ChildSpec, meter: Meter, work: Work): Promise<void> {
  const consumer = new Consumer({
    groupId: spec.groupId,
    clientId: 'bench-platformatic',
    bootstrapBrokers: spec.brokers,
  });
  const stream = await consumer.consume({
    topics: [spec.topic],
    mode: MessagesStreamModes.EARLIEST,
    autocommit: true,
    // KafkaJS's and the Java client's default; unset, one partition can fill the whole 10 MB fetch.
    maxBytesPerPartition: 1_048_576,
  });
  if (spec.mode === 'latency') {
    stream.on('autocommit', (error: Error | null, offsets?: Array<{ partition: number; offset: bigint }>) => {
      if (error || offsets === undefined) return;
      for (const o of offsets) meter.committed(o.partition, o.offset);
    });
  }
  if (spec.concurrency <= 1) {
    for await (const message of stream) {
      await work();
      meter.seen(message.partition, message.offset, message.value);
    }
    return;
  }
  const chains = new Map<number, { tail: Promise<void>; queued: number }>();
  for await (const message of stream) {
    let chain = chains.get(message.partition);
    if (chain === undefined) {
      chain = { tail: Promise.resolve(), queued: 0 };
      chains.set(message.partition, chain);
    }
    const entry = chain;
    entry.queued++;
    entry.tail = entry.tail.then(async () => {
      await work();
      meter.seen(message.partition, message.offset, message.value);
      entry.queued--;
    });
    if (entry.queued >= QUEUE_LIMIT) await entry.tail;
  }
}
