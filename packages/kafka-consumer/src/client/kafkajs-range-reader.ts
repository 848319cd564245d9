/**
 * Reads one partition from an offset beside the consumer's own fetching (the port's `fetchFrom`):
 * the runtime lets a hot key's later messages go to bound its memory and reads them again here.
 * It uses a KafkaJS Cluster of its own (its own connections, so a read never queues behind the
 * consumer's long-polling fetch), KafkaJS's Fetch request and its Batch (control records and
 * aborted transactions filtered as the consumer does). These are KafkaJS internals: the reader
 * exists only on the version it was written for, and says why not otherwise (`unavailable`).
 */
import { createRequire } from 'node:module';
import type { Kafka } from 'kafkajs';
import { ClientError, toError } from '../errors.js';
import type { ConsumedMessage, TopicPartition } from '../types.js';
import { kafkaJsClusterFactory } from './kafkajs-cluster.js';
import { installedKafkaJsVersion, KAFKAJS_VERSION } from './kafkajs-patches/registry.js';

/** Bytes one read asks for (a quarter of KafkaJS's fetch per partition: a lane takes back an eighth of the buffer). */
const READ_BYTES = 256 * 1024;
/** KafkaJS's default: READ_COMMITTED, as the consumer reads. */
const READ_COMMITTED = 1;

interface FetchPartition {
  partition: number;
  errorCode: number;
  highWatermark: string;
  messages: unknown[];
}

interface Broker {
  fetch(request: object): Promise<{ responses: Array<{ topicName: string; partitions: FetchPartition[] }> }>;
}

interface Cluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  addMultipleTargetTopics(topics: string[]): Promise<void>;
  refreshMetadata(): Promise<void>;
  findLeaderForPartitions(topic: string, partitions: number[]): Record<string, number[]>;
  findBroker(args: { nodeId: number }): Promise<Broker>;
}

type BatchClass = new (
  topic: string,
  fetchedOffset: string,
  data: FetchPartition,
) => { messages: ConsumedMessage[] };

/** Why this KafkaJS cannot read beside its consumer, undefined when it can. */
export function rangeReaderUnavailable(kafka: Kafka): string | undefined {
  const version = installedKafkaJsVersion();
  if (version !== KAFKAJS_VERSION)
    return `written for KafkaJS ${KAFKAJS_VERSION}, found ${version ?? 'an unreadable version'}`;
  if (kafkaJsClusterFactory(kafka) === undefined) return 'KafkaJS has no Cluster factory';
  return undefined;
}

export class KafkaJsRangeReader {
  #cluster: Promise<Cluster> | undefined;
  #batch: BatchClass | undefined;

  constructor(private readonly kafka: Kafka) {}

  async read({ topic, partition }: TopicPartition, offset: string): Promise<ConsumedMessage[]> {
    const cluster = await this.#connected();
    try {
      await cluster.addMultipleTargetTopics([topic]);
      const leaders = cluster.findLeaderForPartitions(topic, [partition]);
      const leader = Object.keys(leaders)[0];
      if (leader === undefined) throw new Error(`no leader known for ${topic}[${partition}]`);
      const broker = await cluster.findBroker({ nodeId: Number(leader) });
      const { responses } = await broker.fetch({
        replicaId: -1,
        isolationLevel: READ_COMMITTED,
        maxWaitTime: 0,
        minBytes: 1,
        maxBytes: READ_BYTES,
        topics: [{ topic, partitions: [{ partition, fetchOffset: offset, maxBytes: READ_BYTES }] }],
      });
      const data = responses
        .find((r) => r.topicName === topic)
        ?.partitions.find((p) => p.partition === partition);
      if (data === undefined) return [];
      this.#batch ??= createRequire(import.meta.url)('kafkajs/src/consumer/batch.js') as BatchClass;
      return new this.#batch(topic, offset, data).messages;
    } catch (error) {
      // Metadata may be stale (a leader moved): the next read refreshes it.
      await cluster.refreshMetadata().catch(() => undefined);
      throw new ClientError(
        `Could not read ${topic}[${partition}] from offset ${offset}: ${toError(error).message}`,
        {
          cause: error,
          retriable: true,
        },
      );
    }
  }

  #connected(): Promise<Cluster> {
    this.#cluster ??= (async () => {
      const create = kafkaJsClusterFactory(this.kafka);
      if (create === undefined) throw new ClientError('KafkaJS has no Cluster factory', { retriable: false });
      const cluster = create({ allowAutoTopicCreation: false, metadataMaxAge: 300_000 }) as Cluster;
      await cluster.connect();
      return cluster;
    })();
    const pending = this.#cluster;
    pending.catch(() => {
      if (this.#cluster === pending) this.#cluster = undefined;
    });
    return pending;
  }

  async close(): Promise<void> {
    const cluster = this.#cluster;
    this.#cluster = undefined;
    if (cluster !== undefined) await cluster.then((c) => c.disconnect()).catch(() => undefined);
  }
}
