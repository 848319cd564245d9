/**
 * The share-group client's only contact with KafkaJS: its Cluster (bootstrap, metadata, TLS, SASL,
 * FindCoordinator, one connection pool per broker with ApiVersions already negotiated) and its
 * Connection.send (correlation ids, request queue, timeouts). The share APIs' codecs go through
 * `send`; nothing else here knows about KafkaJS.
 *
 * A KafkaJS broker holds two connections: lane 0 for everything and lane 1 for Fetch. A broker
 * answers the requests of one connection in order, so ShareFetch (which waits up to maxWaitMs for
 * records) takes lane 1 and heartbeats, acknowledgements and metadata never queue behind it.
 */
import { Kafka, type KafkaConfig, logLevel } from 'kafkajs';
import { kafkaJsClusterFactory } from '../client/kafkajs-cluster.js';
import type { Logger } from '../logger.js';
import { findGroupCoordinator } from './coordinator-api.js';
import { KafkaCode, KafkaProtocolError } from './error-codes.js';
import type { ProtocolRequest } from './wire.js';

interface Connection {
  send<T>(args: ProtocolRequest<T> & { requestTimeout?: number }): Promise<T>;
}

interface KafkaJsBroker {
  nodeId: number | null;
  versions: Record<number, { minVersion: number; maxVersion: number }> | null;
  connect(): Promise<void>;
  connectionPool: { getConnection(index: number): Promise<Connection> };
}

interface KafkaJsCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  refreshMetadata(): Promise<void>;
  findBroker(args: { nodeId: number }): Promise<KafkaJsBroker>;
  getNodeIds(): number[];
  addTargetTopic(topic: string): Promise<void>;
  findTopicPartitionMetadata(topic: string): Array<{ partitionId: number }>;
  fetchTopicsOffset(
    topics: Array<{ topic: string; fromBeginning: boolean; partitions: Array<{ partition: number }> }>,
  ): Promise<Array<{ topic: string; partitions: Array<{ partition: number; offset: string }> }>>;
}

export type Lane = 'control' | 'fetch';

/** One broker as the share client uses it. */
export interface BrokerHandle {
  readonly nodeId: number;
  /** The highest version of `apiKey` the broker serves, undefined when it serves none. */
  maxVersion(apiKey: number): number | undefined;
  send<T>(request: ProtocolRequest<T>, options?: { lane?: Lane; timeoutMs?: number }): Promise<T>;
}

export interface LinkOptions {
  brokers: string[];
  clientId: string;
  ssl?: KafkaConfig['ssl'];
  sasl?: KafkaConfig['sasl'];
  logger?: Logger;
  requestTimeoutMs?: number;
}

function handle(broker: KafkaJsBroker, requestTimeoutMs: number): BrokerHandle {
  return {
    nodeId: broker.nodeId ?? -1,
    maxVersion: (apiKey) => broker.versions?.[apiKey]?.maxVersion,
    send: async (request, options = {}) => {
      await broker.connect();
      const connection = await broker.connectionPool.getConnection(options.lane === 'fetch' ? 1 : 0);
      return connection.send({ ...request, requestTimeout: options.timeoutMs ?? requestTimeoutMs });
    },
  };
}

/** KafkaJS's own log lines go to the runtime logger at debug (the share client reports failures itself). */
const logCreator = (logger: Logger | undefined) => () => (entry: { log: { message: string } }) => {
  logger?.debug({ kafkajs: true }, entry.log.message);
};

export class KafkaJsLink {
  readonly #cluster: KafkaJsCluster;
  readonly #requestTimeoutMs: number;

  constructor(options: LinkOptions) {
    this.#requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
    const kafka = new Kafka({
      brokers: options.brokers,
      clientId: options.clientId,
      ssl: options.ssl,
      sasl: options.sasl,
      requestTimeout: this.#requestTimeoutMs,
      logLevel: logLevel.WARN,
      logCreator: logCreator(options.logger),
    });
    const create = kafkaJsClusterFactory(kafka);
    if (create === undefined) {
      throw new Error('This KafkaJS version has no Cluster factory: the share client needs KafkaJS 2.2.x');
    }
    this.#cluster = create({ allowAutoTopicCreation: false, metadataMaxAge: 300_000 }) as KafkaJsCluster;
  }

  /** Log start and end offsets of every partition of `topics` (ListOffsets, KafkaJS's Cluster). */
  async endOffsets(
    topics: readonly string[],
  ): Promise<Array<{ topic: string; partition: number; start: string; end: string }>> {
    const out: Array<{ topic: string; partition: number; start: string; end: string }> = [];
    for (const topic of topics) {
      await this.#cluster.addTargetTopic(topic);
      const partitions = this.#cluster
        .findTopicPartitionMetadata(topic)
        .map((p) => ({ partition: p.partitionId }));
      const read = async (fromBeginning: boolean) => {
        const [answer] = await this.#cluster.fetchTopicsOffset([{ topic, fromBeginning, partitions }]);
        return new Map((answer?.partitions ?? []).map((p) => [p.partition, p.offset]));
      };
      const [low, high] = [await read(true), await read(false)];
      for (const { partition } of partitions)
        out.push({ topic, partition, start: low.get(partition) ?? '0', end: high.get(partition) ?? '0' });
    }
    return out;
  }

  /** Connects to a bootstrap broker and learns the brokers (KafkaJS knows no node ids before). */
  async connect(): Promise<void> {
    await this.#cluster.connect();
    await this.#cluster.refreshMetadata();
  }

  /** The group's coordinator; rejects with the broker's KafkaProtocolError (e.g. GROUP_AUTHORIZATION_FAILED). */
  async coordinator(groupId: string): Promise<BrokerHandle> {
    const [answer] = await this.any((broker) => broker.send(findGroupCoordinator(groupId)));
    if (answer === undefined) throw new Error(`FindCoordinator returned nothing for group ${groupId}`);
    if (answer.errorCode !== KafkaCode.NONE) {
      throw new KafkaProtocolError('FindCoordinator', answer.errorCode, answer.errorMessage);
    }
    return this.node(answer.nodeId);
  }

  /** The broker with `nodeId`; refreshes KafkaJS's broker list once when it does not know it. */
  async node(nodeId: number): Promise<BrokerHandle> {
    try {
      return handle(await this.#cluster.findBroker({ nodeId }), this.#requestTimeoutMs);
    } catch {
      await this.#cluster.refreshMetadata();
      return handle(await this.#cluster.findBroker({ nodeId }), this.#requestTimeoutMs);
    }
  }

  /**
   * `fn` on one broker after another until one answers; rejects with the last error (not KafkaJS's
   * withBroker, which swallows every error and resolves null).
   */
  async any<T>(fn: (broker: BrokerHandle) => Promise<T>): Promise<T> {
    let last: unknown = new Error('No broker known: the bootstrap brokers gave no metadata');
    for (const nodeId of this.#cluster.getNodeIds()) {
      try {
        return await fn(await this.node(nodeId));
      } catch (error) {
        last = error;
      }
    }
    throw last;
  }

  disconnect(): Promise<void> {
    return this.#cluster.disconnect();
  }
}
