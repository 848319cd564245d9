import type { PendingOffset } from '../processing/offsets.js';
import type { ConsumedMessage, MessageHeaders, TopicPartition } from '../types.js';
import type { UndecodableBatch } from './undecodable.js';

/** One fetched batch of a single partition, with the calls valid while it is being processed. */
export interface ClientBatch {
  readonly topic: string;
  readonly partition: number;
  readonly messages: readonly ConsumedMessage[];
  /** The partition's end offset as this fetch saw it. */
  readonly highWatermark: string;
  /** Moves the client's fetch position past `offset` (not a commit). */
  resolveOffset(offset: string): void;
  /** Heartbeats if due; rejects with RebalanceError when the group is rebalancing or this member was fenced. */
  heartbeat(): Promise<void>;
  /** False once the client stopped or the partition was sought: start no more handlers from this batch. */
  isActive(): boolean;
  /**
   * Share groups only (absent for consumer groups, which commit offsets): the outcome of one
   * message. 'accept' = finished (processed or dead-lettered); 'release' = unfinished, deliver it
   * again now; 'reject' = out of retries with no dead-letter queue, never deliver it again. The
   * first outcome of a message counts.
   */
  acknowledge?(message: ConsumedMessage, outcome: 'accept' | 'release' | 'reject'): void;
}

/** Callbacks the client drives. */
export interface ClientHooks {
  onBatch(batch: ClientBatch): Promise<void>;
  /** The client noticed a rebalance (synchronous notice; `beforeJoin` follows). */
  onRebalancing(): void;
  /**
   * The client is about to send its JoinGroup: it waits for this promise (bounded by the rebalance
   * timeout), so in-flight work of revoked partitions finishes and is committed before the re-join.
   */
  beforeJoin(): Promise<void>;
  onAssigned(assigned: TopicPartition[]): void;
  onCrash(error: Error, restart: boolean): void;
  /** A fetched batch cannot be decoded; the client already paused its partition, the others go on. */
  onUndecodable?(batch: UndecodableBatch): void;
}

export interface ConsumerClientOptions {
  groupId: string;
  topics: string[];
  fromBeginning: boolean;
  /** Batches (partitions) handled at once by the client. */
  partitionsConsumedConcurrently: number;
  sessionTimeoutMs: number;
  heartbeatIntervalMs: number;
  rebalanceTimeoutMs: number;
  maxWaitTimeMs: number;
}

export interface CommittedOffset extends TopicPartition {
  /** Next offset to read; '-1' when the group has none. */
  offset: string;
  metadata: string | null;
}

/** The few consumer calls the runtime needs. Retry, DLQ, commit and drain logic only see this. */
export interface ConsumerClient {
  connect(): Promise<void>;
  /** Subscribes and starts fetching; resolves once the group was joined (or the start crashed). */
  start(hooks: ClientHooks): Promise<void>;
  /**
   * Sends one OffsetCommit in the live generation; resolves only when the broker acknowledged it.
   * Rejects with RebalanceError when fenced/rebalancing, CommitError (retriable or not) otherwise.
   */
  commit(offsets: readonly PendingOffset[]): Promise<void>;
  /** The group's committed offsets and metadata for these partitions. */
  committed(partitions: readonly TopicPartition[]): Promise<CommittedOffset[]>;
  /** Heartbeats if due (outside any batch); rejects like ClientBatch.heartbeat. */
  heartbeat(): Promise<void>;
  pause(partitions: readonly TopicPartition[]): void;
  resume(partitions: readonly TopicPartition[]): void;
  /** Fetches the partition again from `offset`. */
  seek(partition: TopicPartition, offset: string): void;
  /** Stops fetching, leaves the group and closes connections. `connect()` + `start()` afterwards restart it. */
  stop(): Promise<void>;
}

export interface OutgoingRecord {
  key: Buffer | null;
  value: Buffer | null;
  headers: MessageHeaders;
}

/** Writes dead-letter records idempotently with acks from all in-sync replicas. */
export interface DeadLetterProducer {
  connect(): Promise<void>;
  send(topic: string, record: OutgoingRecord): Promise<void>;
  disconnect(): Promise<void>;
}

/** Topic checks for the dead-letter topics. */
export interface TopicAdmin {
  /** Which of `topics` do not exist. */
  missing(topics: readonly string[]): Promise<string[]>;
  /** Brokers in the cluster (caps the default replication factor). */
  brokerCount(): Promise<number>;
  create(topics: readonly string[], spec: { partitions: number; replicationFactor: number }): Promise<void>;
  close(): Promise<void>;
}

export interface ClientFactory {
  consumer(options: ConsumerClientOptions): ConsumerClient;
  producer(): DeadLetterProducer;
  admin(): TopicAdmin;
}
