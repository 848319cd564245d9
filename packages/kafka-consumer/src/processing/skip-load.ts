import { bounded } from '../bounded.js';
import type { ConsumerClient } from '../client/port.js';
import type { Logger } from '../logger.js';
import type { TopicPartition } from '../types.js';
import { decodeFinished } from './metadata.js';
import type { OffsetTracker } from './offsets.js';

/**
 * A new assignment (key / unordered): reads the group's committed offsets and their metadata, so
 * messages that finished above the committed offset before a restart or rebalance are skipped when
 * they come again. Never rejects and never waits past `timeoutMs`: without the metadata those
 * messages are only redelivered.
 */
export async function loadFinishedAbove(
  client: ConsumerClient,
  tracker: OffsetTracker,
  assigned: readonly TopicPartition[],
  logger: Logger,
  timeoutMs: number,
): Promise<void> {
  const generation = tracker.generation;
  try {
    const committed = await bounded(client.committed(assigned), timeoutMs, 'reading the committed offsets');
    if (tracker.generation !== generation) return;
    let skipped = 0;
    for (const { topic, partition, offset, metadata } of committed) {
      if (metadata === null || BigInt(offset) < 0n) continue;
      const skip = decodeFinished(BigInt(offset), metadata);
      if (skip.size === 0) continue;
      tracker.partition(topic, partition).skip = skip;
      skipped += skip.size;
    }
    if (skipped > 0) logger.info({ skipped }, 'messages finished before the last commit will be skipped');
  } catch (error) {
    logger.warn({ err: error }, 'reading committed metadata failed; finished messages may be redelivered');
  }
}
