import type { CommitStrategy, GroupType, Ordering } from '../types.js';

/** What the test asks of one consumer child process (passed as JSON in FAULT_CHILD_CONFIG). */
export interface ChildConfig {
  brokers: string[];
  groupId: string;
  topic: string;
  /** 'share': createShareConsumer (commit and ordering unused). @default 'consumer' */
  groupType?: GroupType;
  commit: CommitStrategy;
  ordering: Ordering;
  /** Handler calls in flight (partition ordering: partitions at once). */
  concurrency: number;
  /** key / unordered: fetched messages buffered per partition before its fetch pauses. */
  maxBufferedPerPartition?: number;
  /** For the interval strategy. */
  intervalMs?: number;
  ledgerPath: string;
  codec: 'json' | 'raw';
  retry: { maxRetries: number; initialDelayMs: number; maxDelayMs: number };
  /** Retry-tier delays (`retry.topics`), e.g. ['1s', '2s']; none when absent. */
  retryTopics?: string[];
  deadLetter: { topic: string; writeAttempts?: number; recoveryDelayMs?: number } | false;
  drainTimeoutMs: number;
  sessionTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  behaviour: Behaviour;
  /**
   * Handle through the PostgreSQL inbox of this database: each completed call inserts its message id
   * into `effects` in the inbox's transaction (the table and the inbox exist beforehand).
   */
  inbox?: { url: string; effects: string };
}

/** How the child's handler misbehaves, by message id. */
export interface Behaviour {
  /** Every call waits this long before completing. */
  delayMs?: number;
  /** These messages never complete (the handler ignores its abort signal). */
  hangIds?: string[];
  /** These messages always throw a retryable error. */
  poisonIds?: string[];
  /**
   * Messages `p:s` with `s % modulo === once` fail their first attempt, `=== twice` their first two
   * (the attempt counts across retry tiers), then succeed.
   */
  flaky?: { modulo: number; once: number; twice: number };
  /** The call after `afterCalls` completed calls sleeps `ms` without heartbeating (once per process). */
  slowOnce?: { afterCalls: number; ms: number };
}

export const CONFIG_ENV = 'FAULT_CHILD_CONFIG';

export function encodeConfig(config: ChildConfig): string {
  return JSON.stringify(config);
}

export function decodeConfig(text: string | undefined): ChildConfig {
  if (text === undefined || text === '') throw new Error(`${CONFIG_ENV} is not set`);
  return JSON.parse(text) as ChildConfig;
}
