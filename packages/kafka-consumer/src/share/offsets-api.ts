/**
 * DescribeShareGroupOffsets (api key 90) v1 (Kafka 4.2+; v0 has no Lag): a share group's progress per
 * partition, from the group coordinator. `startOffset` is the share-partition start offset (every
 * record below it is acknowledged, -1 before the partition was first fetched); `lag` the records
 * between it and the log end not yet acknowledged (KIP-1226; -1 when the broker does not know).
 */
import {
  flexibleRequest,
  readCompactArray,
  readString,
  readUuid,
  skipTags,
  writeCompactArray,
  writeTags,
} from './wire.js';

export const DESCRIBE_SHARE_GROUP_OFFSETS = 90;

export interface ShareOffsets {
  topic: string;
  partition: number;
  startOffset: bigint;
  lag: bigint;
  errorCode: number;
}

export interface ShareGroupOffsets {
  groupId: string;
  errorCode: number;
  errorMessage: string | null;
  partitions: ShareOffsets[];
}

/** Offsets of every partition `groupId` has share state for. */
export function describeShareGroupOffsets(groupId: string) {
  return flexibleRequest(
    DESCRIBE_SHARE_GROUP_OFFSETS,
    1,
    'DescribeShareGroupOffsets',
    (e) => {
      writeCompactArray(e, [groupId], (g, id) => {
        g.writeUVarIntString(id);
        g.writeUVarInt(0); // topics: null = every partition the group has state for
        writeTags(g);
      });
      writeTags(e);
    },
    (d): ShareGroupOffsets[] => {
      d.readInt32(); // throttle
      const groups = readCompactArray(d, (g) => {
        const id = readString(g);
        const partitions: ShareOffsets[] = [];
        readCompactArray(g, (t) => {
          const topic = readString(t);
          readUuid(t);
          readCompactArray(t, (p) => {
            const partition = p.readInt32();
            const startOffset = p.readInt64();
            p.readInt32(); // leader epoch
            const lag = p.readInt64();
            const errorCode = p.readInt16();
            p.readUVarIntString();
            skipTags(p);
            partitions.push({ topic, partition, startOffset, lag, errorCode });
          });
          skipTags(t);
        });
        const errorCode = g.readInt16();
        const errorMessage = g.readUVarIntString();
        skipTags(g);
        return { groupId: id, errorCode, errorMessage, partitions };
      });
      skipTags(d);
      return groups;
    },
  );
}
