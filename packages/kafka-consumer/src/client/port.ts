/**
 * The client port: what the runtime needs of a Kafka client, in the runtime's own terms. The
 * KafkaJS adapter (`kafkajs.ts` and `kafkajs-consumer.ts`, with its patches) implements it; a second client (a share-group
 * consumer, another library) implements `ConsumerClient` and drives `ClientHooks`:
 *
 * - `start(hooks)` joins and delivers batches through `hooks.onBatch`, one call at a time per
 *   partition; the scheduler returns from it at once (or holds it while a full buffer drains);
 * - a batch's `resolveOffset` moves the fetch position (not a commit), `heartbeat` keeps the member
 *   alive and rejects with `RebalanceError` when the group rebalances, `isActive` turns false once the
 *   batch is stale (revoked, sought);
 * - `beforeJoin` is awaited (bounded) before any re-join, `onAssigned` names each new assignment (a
 *   new generation), `onCrash` reports a crash and whether the client restarts itself;
 * - `commit` resolves only when the broker acknowledged it in the live generation, and classifies
 *   failures as `RebalanceError` (fenced, rebalancing) or `CommitError` (retriable or not);
 * - `pause`/`resume`/`seek` act on fetching only, `fetchFrom` reads beside it; `committed` and `endOffsets` read the group's
 *   commits and the log ends; `diagnostics` says what the client knows is wrong or degraded.
 *
 * Nothing here imports the tracker, the scheduler or the patches.
 */
import type { CommitOffset, ConsumedMessage, MessageHeaders, TopicPartition } from '../types.js';

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
  /**
   * A share group's assignment changed (members came or went). Nothing is revoked: records already
   * acquired stay valid, no generation starts; only what the member reports changes.
   */
  onAssignmentChanged?(assigned: TopicPartition[]): void;
  onCrash(error: Error, restart: boolean): void;
  /** A fetched batch cannot be decoded; the client already paused its partition, the others go on. */
  onUndecodable?(batch: UndecodableBatch): void;
}

/** Why a batch is held: it fails to decode, its CRC does not match, or the broker cannot read its log there. */
export type UndecodableKind = 'decode' | 'crc' | 'broker';

export interface UndecodableBatch {
  topic: string;
  partition: number;
  /** The first offset of the batch that cannot be decoded (kind 'broker': the offset fetched). */
  offset: string;
  /** The last offset of that batch, when its header could be read (skip to this + 1 to get past it). */
  lastOffset: string | undefined;
  kind: UndecodableKind;
  error: Error;
}

/** A partition's log start and end (next offset to be written). */
export interface EndOffsets extends TopicPartition {
  start: string;
  end: string;
}

/** What the client knows is wrong (`problems`: unhealthy) or degraded (`warnings`). */
export interface ClientDiagnostics {
  problems: string[];
  warnings: string[];
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
  /**
   * Subscribes and starts fetching; resolves once the group was joined (or the start crashed).
   * `fromBeginning` topics start at their earliest offset when the group has none, whatever the
   * option says (topics created while the start waited for them); later starts keep the first list.
   */
  start(hooks: ClientHooks, subscribe?: { fromBeginning: readonly string[] }): Promise<void>;
  /**
   * Sends one OffsetCommit in the live generation; resolves only when the broker acknowledged it.
   * Rejects with RebalanceError when fenced/rebalancing, CommitError (retriable or not) otherwise.
   */
  commit(offsets: readonly CommitOffset[]): Promise<void>;
  /** The group's committed offsets and metadata for these partitions. */
  committed(partitions: readonly TopicPartition[]): Promise<CommittedOffset[]>;
  /** Log start and end offsets of these topics' partitions (for lag). Optional: without it no lag is read. */
  endOffsets?(topics: readonly string[]): Promise<EndOffsets[]>;
  /**
   * Optional: where the group stands, for lag, when that is not its committed offset (a share
   * group: log end - its share lag). Used by `readOffsets()` instead of `committed` when present.
   */
  lagPositions?(ends: readonly EndOffsets[]): Promise<CommittedOffset[]>;
  /** Optional: without it the client reports nothing of its own. */
  diagnostics?(): ClientDiagnostics;
  /** Heartbeats if due (outside any batch); rejects like ClientBatch.heartbeat. */
  heartbeat(): Promise<void>;
  pause(partitions: readonly TopicPartition[]): void;
  resume(partitions: readonly TopicPartition[]): void;
  /** Fetches the partition again from `offset`. */
  seek(partition: TopicPartition, offset: string): void;
  /**
   * Reads one partition from `offset` beside the group's fetching (its fetch position does not
   * move): messages the runtime let go to bound its memory (a hot key's beyond its lane's share of
   * the buffer) are read again. Resolves with what one fetch returned (possibly more than asked,
   * in offset order; nothing below `offset`). Optional: without it no message is let go.
   */
  fetchFrom?(partition: TopicPartition, offset: string): Promise<ConsumedMessage[]>;
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
  /**
   * Which of `topics` this principal may not DESCRIBE (a topic it cannot see looks missing to
   * `missing`); the start then reports the authorization error instead of waiting for it.
   */
  unauthorized?(topics: readonly string[]): Promise<string[]>;
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
