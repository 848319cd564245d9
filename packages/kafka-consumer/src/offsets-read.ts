import type { ConsumerClient } from './client/port.js';
import { ClientError } from './errors.js';
import type { PartitionOffsets } from './types.js';

/** End offsets and the group's commits of `topics`, through the client port (see KafkaConsumer.readOffsets). */
export async function readOffsets(
  client: ConsumerClient,
  topics: readonly string[],
): Promise<PartitionOffsets[]> {
  if (client.endOffsets === undefined)
    throw new ClientError('this client does not read end offsets', { retriable: false });
  const ends = await client.endOffsets(topics);
  // A share group has no commits: its client says where the group stands (end - share lag).
  const committed = client.lagPositions ? await client.lagPositions(ends) : await client.committed(ends);
  const byPartition = new Map(committed.map((c) => [`${c.topic}\u0000${c.partition}`, c.offset]));
  return ends.map(({ topic, partition, start, end }) => {
    const offset = byPartition.get(`${topic}\u0000${partition}`);
    return {
      topic,
      partition,
      start,
      end,
      committed: offset === undefined || BigInt(offset) < 0n ? null : offset,
    };
  });
}
