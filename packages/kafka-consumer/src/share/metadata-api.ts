/**
 * Metadata (api key 3) v12: the first version that names topics by id in both directions. Share
 * groups speak topic ids only (assignments, fetches, acknowledgements); KafkaJS's Metadata stops
 * at v6, which has no ids.
 */
import {
  type Decoder,
  flexibleRequest,
  readCompactArray,
  readString,
  readUuid,
  skipTags,
  writeCompactArray,
  writeTags,
  writeUuid,
  ZERO_UUID,
} from './wire.js';

export const METADATA = 3;
export const METADATA_VERSION = 12;

export interface PartitionMetadata {
  errorCode: number;
  partition: number;
  leaderId: number;
  leaderEpoch: number;
}

export interface TopicMetadata {
  errorCode: number;
  name: string | null;
  topicId: Buffer;
  partitions: PartitionMetadata[];
}

export interface BrokerMetadata {
  nodeId: number;
  host: string;
  port: number;
}

export interface MetadataResponse {
  brokers: BrokerMetadata[];
  topics: TopicMetadata[];
}

const readInt32s = (d: Decoder) => readCompactArray(d, (x) => x.readInt32());

const readPartition = (d: Decoder): PartitionMetadata => {
  const errorCode = d.readInt16();
  const partition = d.readInt32();
  const leaderId = d.readInt32();
  const leaderEpoch = d.readInt32();
  readInt32s(d); // replicas
  readInt32s(d); // isr
  readInt32s(d); // offline replicas
  skipTags(d);
  return { errorCode, partition, leaderId, leaderEpoch };
};

const readTopic = (d: Decoder): TopicMetadata => {
  const errorCode = d.readInt16();
  const name = d.readUVarIntString();
  const topicId = readUuid(d);
  d.readBoolean(); // is internal
  const partitions = readCompactArray(d, readPartition);
  d.readInt32(); // authorized operations
  skipTags(d);
  return { errorCode, name, topicId, partitions };
};

const readBroker = (d: Decoder): BrokerMetadata => {
  const nodeId = d.readInt32();
  const host = readString(d);
  const port = d.readInt32();
  d.readUVarIntString(); // rack
  skipTags(d);
  return { nodeId, host, port };
};

/** Metadata of topics named `names` (never auto-created). */
export function metadataByName(names: readonly string[]) {
  return flexibleRequest(
    METADATA,
    METADATA_VERSION,
    'Metadata',
    (e) => {
      writeCompactArray(e, names, (w, name) => {
        writeUuid(w, ZERO_UUID);
        w.writeUVarIntString(name);
        writeTags(w);
      });
      e.writeBoolean(false); // allow auto topic creation
      e.writeBoolean(false); // include topic authorized operations
      writeTags(e);
    },
    (d): MetadataResponse => {
      d.readInt32(); // throttle
      const brokers = readCompactArray(d, readBroker);
      d.readUVarIntString(); // cluster id
      d.readInt32(); // controller id
      const topics = readCompactArray(d, readTopic);
      skipTags(d);
      return { brokers, topics };
    },
  );
}
