/** Every default value of the consumer options, in one place (documented with @default on each option). */
export const DEFAULTS = {
  fromBeginning: false,
  commit: 'per-batch',
  commitIntervalMs: 5000,
  retry: {
    maxRetries: 3,
    initialDelayMs: 100,
    maxDelayMs: 30_000,
    multiplier: 2,
    jitter: 'full' as 'full' | 'none',
  },
  deadLetterSuffix: '.dlq',
  deadLetter: { writeAttempts: 3, recoveryDelayMs: 5000 },
  shutdown: { drainTimeoutMs: 30_000, signals: ['SIGTERM', 'SIGINT'] as NodeJS.Signals[] },
  concurrency: 1,
  sessionTimeoutMs: 30_000,
  heartbeatIntervalMs: 3000,
  rebalanceTimeoutMs: 60_000,
  maxWaitTimeMs: 500,
} as const;
