import type { ConsumedMessage, MessageHeaders, TopicPartition } from '../types.js';
import type { UndecodableBatch } from './undecodable.js';

/** An offset to commit: the next offset to read on that partition. */
export interface CommitOffset extends TopicPartition {
  offset: string;
}

/** One fetched batch of a single partition, with the calls valid while it is being processed. */
export interface ClientBatch {
  readonly topic: string;
  readonly partition: number;
  readonly messages: readonly ConsumedMessage[];
  /** Marks a message done for the client's own fetch position (not a commit). */
  resolveOffset(offset: string): void;
  /** Heartbeats if due; rejects when the group is rebalancing (see `isRebalanceError`). */
  heartbeat(): Promise<void>;
  /** Commits now, in the generation this batch belongs to. Rejects on failure; never retries blindly. */
  commit(offsets: readonly CommitOffset[]): Promise<void>;
  /** False once the client stopped or the partition was sought/revoked: start no more handlers. */
  isActive(): boolean;
}

/** Callbacks the client drives. `onRebalancing` runs synchronously, before the client re-joins. */
export interface ClientHooks {
  onBatch(batch: ClientBatch): Promise<void>;
  onRebalancing(): void;
  onAssigned(assigned: TopicPartition[]): void;
  onCrash(error: Error, restart: boolean): void;
  /** A fetched batch cannot be decoded; the client already paused its partition, the others go on. */
  onUndecodable?(batch: UndecodableBatch): void;
}

export interface ConsumerClientOptions {
  groupId: string;
  topics: string[];
  fromBeginning: boolean;
  concurrency: number;
  sessionTimeoutMs: number;
  heartbeatIntervalMs: number;
  rebalanceTimeoutMs: number;
  maxWaitTimeMs: number;
}

/** The few consumer calls the runtime needs. Retry, DLQ, commit and drain logic only see this. */
export interface ConsumerClient {
  connect(): Promise<void>;
  /** Subscribes and starts fetching; resolves once the group was joined (or the start crashed). */
  start(hooks: ClientHooks): Promise<void>;
  /** Commits outside a batch (interval timer, revoke, shutdown), in the current generation. */
  commit(offsets: readonly CommitOffset[]): Promise<void>;
  pause(partition: TopicPartition): void;
  resume(partition: TopicPartition): void;
  /** True for errors meaning "the group is rebalancing / this member's generation is over". */
  isRebalanceError(error: unknown): boolean;
  /** Stops fetching, leaves the group and closes connections. `connect()` + `start()` afterwards restart it. */
  stop(): Promise<void>;
}

export interface OutgoingRecord {
  key: Buffer | null;
  value: Buffer | null;
  headers: MessageHeaders;
}

/** Writes dead-letter records with acks from all in-sync replicas. */
export interface DeadLetterProducer {
  connect(): Promise<void>;
  send(topic: string, record: OutgoingRecord): Promise<void>;
  disconnect(): Promise<void>;
}

export interface ClientFactory {
  consumer(options: ConsumerClientOptions): ConsumerClient;
  producer(): DeadLetterProducer;
}
