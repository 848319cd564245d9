import type { Logger } from './logger.js';

/** Header values as KafkaJS delivers them. */
export type MessageHeaders = Record<string, Buffer | string | (Buffer | string)[] | undefined>;

/** One consumed record, shaped like KafkaJS's `KafkaMessage` (it is the KafkaJS object itself). */
export interface ConsumedMessage {
  key: Buffer | null;
  value: Buffer | null;
  timestamp: string;
  attributes: number;
  offset: string;
  size?: number;
  headers?: MessageHeaders;
  /** Share groups: how many times the broker delivered this record, this time included. */
  deliveryCount?: number;
}

/** What a handler receives: KafkaJS's eachMessage payload fields plus the runtime's extras. */
export interface MessageContext<T = Buffer | null> {
  /** The consumer group this message is consumed in. */
  groupId: string;
  topic: string;
  partition: number;
  message: ConsumedMessage;
  /** `message.value` run through the codec (the raw Buffer with the default codec). */
  value: T;
  /** 1 for the first try, 2 for the first retry... Belongs to this message only. */
  attempt: number;
  /** Aborted when shutdown's drain deadline passes; stop work and reject. */
  signal: AbortSignal;
  /**
   * Set when the message comes back from a retry tier (`retry.topics`): the tier record's topic,
   * partition and offset, the tier's number and delay, and when it was due. `topic`, `partition`
   * and `message` then describe the ORIGIN message (its source topic, partition, offset, timestamp
   * and headers without the x-retry-* ones); `attempt` carries on from the attempts made before.
   */
  retryTier?: import('./retry-tiers/tiers.js').RetryTierInfo;
  /** Tell the group coordinator this consumer is alive (for handlers longer than the session timeout). */
  heartbeat(): Promise<void>;
  log: Logger;
}

/** The user's message handler. Resolve = processed; throw = failed (retried unless NonRetryableError). */
export type Handler<T = Buffer | null> = (context: MessageContext<T>) => Promise<void> | void;

export interface TopicPartition {
  topic: string;
  partition: number;
}

export type HealthStatus = 'starting' | 'healthy' | 'unhealthy' | 'stopped';

/** Snapshot returned by `consumer.health()`; cheap to call from a readiness probe. */
export interface HealthReport {
  status: HealthStatus;
  /** The lifecycle state: idle, connecting, running, rebalancing, stopping, stopped or crashed. */
  state: import('./lifecycle.js').ConsumerState;
  /** Connected to the cluster (between connect() and the end of disconnect()). */
  connected: boolean;
  /** Consuming: running or rebalancing (not before the join, not after a crash or once stopping). */
  running: boolean;
  assignedPartitions: TopicPartition[];
  /** Partitions paused by the runtime (dead-letter write failing, or stopped by an exhausted message). */
  pausedPartitions: TopicPartition[];
  /** Partitions stopped because a message exhausted its retries with `deadLetter: false`. */
  stoppedPartitions: TopicPartition[];
  /** Handler invocations currently running. */
  inFlight: number;
  /**
   * Messages whose handler threw DependencyUnavailableError and that wait for it (retried with backoff,
   * not dead-lettered). Not a problem by itself: `status` stays healthy, the liveness probe stays live.
   */
  waitingForDependency: DependencyWaitReport;
  /** Epoch ms of the last message finished (processed or dead-lettered), null before the first. */
  lastProgressAt: number | null;
  /** Epoch ms of the last successful offset commit, null before the first. */
  lastCommitAt: number | null;
  /** Source topics that do not exist yet while the start waits for them (missingTopics: 'wait'). */
  missingTopics: string[];
  /** Human-readable reasons when status is 'unhealthy'. */
  problems: string[];
  /** Degraded, not unhealthy: e.g. a KafkaJS patch that could not install (KafkaJS's own behaviour there). */
  warnings: string[];
}

/** One partition's commit: the next offset to read (what Kafka stores) and its metadata. */
export interface CommitOffset extends TopicPartition {
  offset: string;
  /** Finished offsets above it, encoded (see processing/metadata.ts); null when none or too many. */
  metadata: string | null;
}

/** A partition's log start and end and the group's committed offset (null: none). */
export interface PartitionOffsets extends TopicPartition {
  start: string;
  end: string;
  committed: string | null;
}

export interface DependencyWaitReport {
  /** Messages waiting now (0 when every dependency answers). */
  messages: number;
  /** Epoch ms when the longest wait began, null when none waits. */
  since: number | null;
  /** The unavailable dependencies (DependencyUnavailableError.dependency), e.g. ['postgres']. */
  dependencies: string[];
  /** The last error's message, null when none waits. */
  lastError: string | null;
}

/** What `disconnect()` resolves with. */
export interface ShutdownReport {
  /** True when every in-flight handler finished before the drain deadline. */
  drained: boolean;
  /** Handlers aborted at the deadline (their messages were not committed and will be redelivered). */
  abandoned: number;
  durationMs: number;
}
