/**
 * ShareFetch (api key 78) v1 and v2. v1 is KIP-932's stable version (Kafka 4.1+); v2 (Kafka 4.2+)
 * adds the acquire mode and RENEW acknowledgements (KIP-1206, KIP-1222). A request opens (epoch 0),
 * continues (epoch n) or closes (epoch -1) the share session on that broker, and may carry
 * acknowledgements of records this member acquired earlier in the same session.
 */
import {
  type AcknowledgementBatch,
  type LeaderIdAndEpoch,
  readLeader,
  writeBatches,
} from './acknowledgement-batches.js';
import {
  type Decoder,
  flexibleRequest,
  readCompactArray,
  readCompactBytes,
  readString,
  readUuid,
  skipTags,
  writeCompactArray,
  writeTags,
  writeUuid,
} from './wire.js';

export const SHARE_FETCH = 78;

export interface FetchPartitionRequest {
  partition: number;
  acknowledgements: readonly AcknowledgementBatch[];
}

export interface FetchTopicRequest {
  topicId: Buffer;
  partitions: readonly FetchPartitionRequest[];
}

export interface ShareFetchRequest {
  groupId: string;
  memberId: string;
  shareSessionEpoch: number;
  maxWaitMs: number;
  minBytes: number;
  maxBytes: number;
  maxRecords: number;
  batchSize: number;
  /** v2: the acknowledgements include RENEW (no other type then). */
  isRenewAck?: boolean;
  topics: readonly FetchTopicRequest[];
  forgotten: ReadonlyArray<{ topicId: Buffer; partitions: readonly number[] }>;
}

export interface AcquiredRange {
  firstOffset: bigint;
  lastOffset: bigint;
  deliveryCount: number;
}

export interface FetchPartitionResponse {
  partition: number;
  errorCode: number;
  errorMessage: string | null;
  acknowledgeErrorCode: number;
  acknowledgeErrorMessage: string | null;
  currentLeader: LeaderIdAndEpoch;
  /** The record batches as the log holds them (may reach outside the acquired ranges). */
  records: Buffer | null;
  acquired: AcquiredRange[];
}

export interface ShareFetchResponse {
  throttleTimeMs: number;
  errorCode: number;
  errorMessage: string | null;
  acquisitionLockTimeoutMs: number;
  topics: Array<{ topicId: Buffer; partitions: FetchPartitionResponse[] }>;
  nodeEndpoints: Array<{ nodeId: number; host: string; port: number }>;
}

const readAcquired = (d: Decoder): AcquiredRange => {
  const firstOffset = d.readInt64();
  const lastOffset = d.readInt64();
  const deliveryCount = d.readInt16();
  skipTags(d);
  return { firstOffset, lastOffset, deliveryCount };
};

const readPartition = (d: Decoder): FetchPartitionResponse => {
  const partition = d.readInt32();
  const errorCode = d.readInt16();
  const errorMessage = d.readUVarIntString();
  const acknowledgeErrorCode = d.readInt16();
  const acknowledgeErrorMessage = d.readUVarIntString();
  const currentLeader = readLeader(d);
  const records = readCompactBytes(d);
  const acquired = readCompactArray(d, readAcquired);
  skipTags(d);
  return {
    partition,
    errorCode,
    errorMessage,
    acknowledgeErrorCode,
    acknowledgeErrorMessage,
    currentLeader,
    records,
    acquired,
  };
};

export const readNodeEndpoint = (d: Decoder) => {
  const nodeId = d.readInt32();
  const host = readString(d);
  const port = d.readInt32();
  d.readUVarIntString(); // rack
  skipTags(d);
  return { nodeId, host, port };
};

/** ShareAcquireMode 1 (v2+): at most MaxRecords acquired per fetch, log batches split if need be. */
const SHARE_ACQUIRE_RECORD_LIMIT = 1;

export function shareFetch(request: ShareFetchRequest, version: 1 | 2) {
  return flexibleRequest(
    SHARE_FETCH,
    version,
    'ShareFetch',
    (e) => {
      e.writeUVarIntString(request.groupId);
      e.writeUVarIntString(request.memberId);
      e.writeInt32(request.shareSessionEpoch);
      e.writeInt32(request.maxWaitMs);
      e.writeInt32(request.minBytes);
      e.writeInt32(request.maxBytes);
      e.writeInt32(request.maxRecords);
      e.writeInt32(request.batchSize);
      if (version >= 2) {
        // Record-limit (KIP-1206): the broker acquires at most MaxRecords records. In the default
        // batch-optimized mode it acquires whole log batches, so one member took a producer's
        // 300-record batch at once and the other members of a one-partition group stood idle.
        e.writeInt8(SHARE_ACQUIRE_RECORD_LIMIT);
        e.writeBoolean(request.isRenewAck ?? false);
      }
      writeCompactArray(e, request.topics, (w, topic) => {
        writeUuid(w, topic.topicId);
        writeCompactArray(w, topic.partitions, (p, partition) => {
          p.writeInt32(partition.partition);
          writeBatches(p, partition.acknowledgements);
          writeTags(p);
        });
        writeTags(w);
      });
      writeCompactArray(e, request.forgotten, (w, topic) => {
        writeUuid(w, topic.topicId);
        writeCompactArray(w, topic.partitions, (p, partition) => p.writeInt32(partition));
        writeTags(w);
      });
      writeTags(e);
    },
    (d): ShareFetchResponse => {
      const throttleTimeMs = d.readInt32();
      const errorCode = d.readInt16();
      const errorMessage = d.readUVarIntString();
      const acquisitionLockTimeoutMs = d.readInt32();
      const topics = readCompactArray(d, (t) => {
        const topicId = readUuid(t);
        const partitions = readCompactArray(t, readPartition);
        skipTags(t);
        return { topicId, partitions };
      });
      const nodeEndpoints = readCompactArray(d, readNodeEndpoint);
      skipTags(d);
      return { throttleTimeMs, errorCode, errorMessage, acquisitionLockTimeoutMs, topics, nodeEndpoints };
    },
  );
}
