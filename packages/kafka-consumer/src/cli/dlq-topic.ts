import type { Admin, PartitionOffsets } from './kafka.js';
import { partitionOffsets, topicExists } from './kafka.js';
import { UsageError } from './usage-error.js';

/** The DLQ's partitions and their offsets; an unknown topic is bad usage (exit 2). */
export async function openTopic(admin: Admin, topic: string, what = 'topic'): Promise<PartitionOffsets[]> {
  if (!(await topicExists(admin, topic)))
    throw new UsageError(
      `${what} "${topic}" does not exist on this cluster (or this principal may not DESCRIBE it)`,
    );
  return partitionOffsets(admin, topic);
}
