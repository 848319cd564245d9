/**
 * ShareAcknowledge (api key 79) v1 and v2: acknowledgements without fetching, in the share session
 * of the partition's leader; epoch -1 carries the last ones and closes the session (the broker
 * releases whatever this member still holds there). v2 (Kafka 4.2+) allows RENEW (KIP-1222).
 */
import {
  type AcknowledgementBatch,
  type LeaderIdAndEpoch,
  readLeader,
  writeBatches,
} from './acknowledgement-batches.js';
import { readNodeEndpoint } from './fetch-api.js';
import {
  flexibleRequest,
  readCompactArray,
  readUuid,
  skipTags,
  writeCompactArray,
  writeTags,
  writeUuid,
} from './wire.js';

export const SHARE_ACKNOWLEDGE = 79;

export interface ShareAcknowledgeRequest {
  groupId: string;
  memberId: string;
  shareSessionEpoch: number;
  isRenewAck?: boolean;
  topics: ReadonlyArray<{
    topicId: Buffer;
    partitions: ReadonlyArray<{ partition: number; acknowledgements: readonly AcknowledgementBatch[] }>;
  }>;
}

export interface AcknowledgePartitionResponse {
  partition: number;
  errorCode: number;
  errorMessage: string | null;
  currentLeader: LeaderIdAndEpoch;
}

export interface ShareAcknowledgeResponse {
  throttleTimeMs: number;
  errorCode: number;
  errorMessage: string | null;
  /** v2 only; 0 from a v1 response. */
  acquisitionLockTimeoutMs: number;
  topics: Array<{ topicId: Buffer; partitions: AcknowledgePartitionResponse[] }>;
}

export function shareAcknowledge(request: ShareAcknowledgeRequest, version: 1 | 2) {
  return flexibleRequest(
    SHARE_ACKNOWLEDGE,
    version,
    'ShareAcknowledge',
    (e) => {
      e.writeUVarIntString(request.groupId);
      e.writeUVarIntString(request.memberId);
      e.writeInt32(request.shareSessionEpoch);
      if (version >= 2) e.writeBoolean(request.isRenewAck ?? false);
      writeCompactArray(e, request.topics, (w, topic) => {
        writeUuid(w, topic.topicId);
        writeCompactArray(w, topic.partitions, (p, partition) => {
          p.writeInt32(partition.partition);
          writeBatches(p, partition.acknowledgements);
          writeTags(p);
        });
        writeTags(w);
      });
      writeTags(e);
    },
    (d): ShareAcknowledgeResponse => {
      const throttleTimeMs = d.readInt32();
      const errorCode = d.readInt16();
      const errorMessage = d.readUVarIntString();
      const acquisitionLockTimeoutMs = version >= 2 ? d.readInt32() : 0;
      const topics = readCompactArray(d, (t) => {
        const topicId = readUuid(t);
        const partitions = readCompactArray(t, (p) => {
          const partition = p.readInt32();
          const errorCode = p.readInt16();
          const errorMessage = p.readUVarIntString();
          const currentLeader = readLeader(p);
          skipTags(p);
          return { partition, errorCode, errorMessage, currentLeader };
        });
        skipTags(t);
        return { topicId, partitions };
      });
      readCompactArray(d, readNodeEndpoint);
      skipTags(d);
      return { throttleTimeMs, errorCode, errorMessage, acquisitionLockTimeoutMs, topics };
    },
  );
}
