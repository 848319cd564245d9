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
  topic: string;
  partition: number;
  message: ConsumedMessage;
  /** `message.value` run through the codec (the raw Buffer with the default codec). */
  value: T;
  /** 1 for the first try, 2 for the first retry... Belongs to this message only. */
  attempt: number;
  /** Aborted when shutdown's drain deadline passes; stop work and reject. */
  signal: AbortSignal;
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
  /** Epoch ms of the last message finished (processed or dead-lettered), null before the first. */
  lastProgressAt: number | null;
  /** Epoch ms of the last successful offset commit, null before the first. */
  lastCommitAt: number | null;
  /** Human-readable reasons when status is 'unhealthy'. */
  problems: string[];
}

/** What `disconnect()` resolves with. */
export interface ShutdownReport {
  /** True when every in-flight handler finished before the drain deadline. */
  drained: boolean;
  /** Handlers aborted at the deadline (their messages were not committed and will be redelivered). */
  abandoned: number;
  durationMs: number;
}
