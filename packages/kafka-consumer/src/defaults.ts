/** Every default value of the consumer options, in one place; the option schema (options.ts) applies them. */
export const DEFAULTS = {
  fromBeginning: false,
  commit: 'per-batch',
  commitIntervalMs: 5000,
  /** per-message: finished-but-uncommitted messages per partition before the next handler waits. */
  maxUncommitted: 500,
  ordering: 'partition',
  concurrency: 1,
  maxBufferedPerPartition: 2000,
  retry: {
    maxRetries: 3,
    initialDelayMs: 100,
    maxDelayMs: 30_000,
    multiplier: 2,
    jitter: 'full' as 'full' | 'none',
    /** A DependencyUnavailableError: retried for as long as it takes, this backoff (full jitter). */
    unavailable: { initialDelayMs: 200, maxDelayMs: 10_000 },
  },
  deadLetterSuffix: '.dlq',
  deadLetter: {
    writeAttempts: 3,
    recoveryDelayMs: 5000,
    createTopics: true,
    partitions: 1,
    /** Replication factor of created DLQ topics: 3, or the cluster size when it has fewer brokers. */
    replicationFactor: 3,
  },
  shutdown: { drainTimeoutMs: 30_000, signals: ['SIGTERM', 'SIGINT'] as NodeJS.Signals[] },
  sessionTimeoutMs: 30_000,
  heartbeatIntervalMs: 3000,
  rebalanceTimeoutMs: 60_000,
  maxWaitTimeMs: 500,
} as const;
