import type { ConnectionOptions } from 'node:tls';
import { type Codec, rawCodec } from './codec.js';
import { DEFAULTS } from './defaults.js';
import { createJsonLogger, type Logger } from './logger.js';
import type { Handler } from './types.js';
import { checkOptions, type Namer, type OptionData, optionName } from './validation.js';

export { DEFAULTS };

export type CommitStrategyName = 'per-message' | 'per-batch' | 'interval';
export type CommitOption = CommitStrategyName | { strategy: CommitStrategyName; intervalMs?: number };

export interface RetryOptions {
  /** Retries after the first attempt (0 = no retry). @default 3 */
  maxRetries?: number;
  /** Upper bound of the first backoff delay. @default 100 */
  initialDelayMs?: number;
  /** Cap of any backoff delay. @default 30000 */
  maxDelayMs?: number;
  /** Growth factor per attempt. @default 2 */
  multiplier?: number;
  /** 'full': a random delay between 0 and the exponential cap (AWS "full jitter"); 'none': exactly the cap. @default 'full' */
  jitter?: 'full' | 'none';
}

export interface DeadLetterOptions {
  /** One DLQ topic for every source topic. @default `${sourceTopic}.dlq` */
  topic?: string;
  /** Write attempts before the partition is paused. @default 3 */
  writeAttempts?: number;
  /** How long a partition stays paused after a failed DLQ write before the write is tried again. @default 5000 */
  recoveryDelayMs?: number;
}

export interface ShutdownOptions {
  /** Time in-flight handlers get to finish on disconnect/signal before their `signal` is aborted. @default 30000 */
  drainTimeoutMs?: number;
  /** Signals that trigger a graceful shutdown; `[]` disables signal handling. @default ['SIGTERM', 'SIGINT'] */
  signals?: NodeJS.Signals[];
  /** Exit the process (EXIT_CODES) after a signal-triggered shutdown or a fatal crash. @default true when signals are handled */
  exitProcess?: boolean;
}

export type SaslOptions =
  | { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string }
  | { mechanism: 'aws' | 'oauthbearer'; [key: string]: unknown };

export interface ConsumerOptions<T = Buffer | null> {
  /** Bootstrap brokers, `host:port`. */
  brokers: string[];
  /** Client id reported to the brokers. @default groupId */
  clientId?: string;
  /** Consumer group id. @default clientId */
  groupId?: string;
  /** Topics to subscribe to (at least one). */
  topics: string[];
  /** Start from the earliest offset when the group has no committed offset. @default false */
  fromBeginning?: boolean;
  /** When finished offsets are committed. @default 'per-batch' */
  commit?: CommitOption;
  retry?: RetryOptions;
  /** Dead-letter queue, or `false` to stop the partition instead. @default {} (topic `${sourceTopic}.dlq`) */
  deadLetter?: DeadLetterOptions | false;
  shutdown?: ShutdownOptions;
  /** Decodes `message.value` into `value`; a decode failure goes straight to the DLQ. @default raw (Buffer | null) */
  codec?: Codec<T>;
  /** pino-compatible logger. @default JSON lines to stderr at level info */
  logger?: Logger;
  /** TLS: `true` or Node TLS options, passed to KafkaJS. @default undefined (plaintext) */
  ssl?: boolean | ConnectionOptions;
  /** SASL credentials, passed to KafkaJS. @default undefined */
  sasl?: SaslOptions;
  /** Partitions processed concurrently (order is kept within each partition). @default 1 */
  concurrency?: number;
  /** Group session timeout. @default 30000 */
  sessionTimeoutMs?: number;
  /** Heartbeat interval (must be below sessionTimeoutMs). @default 3000 */
  heartbeatIntervalMs?: number;
  /** Group rebalance timeout. @default 60000 */
  rebalanceTimeoutMs?: number;
  /** Longest a fetch waits for data; bounds how long an idle consumer takes to stop. @default 500 */
  maxWaitTimeMs?: number;
  handler: Handler<T>;
}

/** Options after validation and defaults; what the runtime works with. */
export interface ResolvedOptions<T = Buffer | null> {
  brokers: string[];
  clientId: string;
  groupId: string;
  topics: string[];
  fromBeginning: boolean;
  commit: { strategy: CommitStrategyName; intervalMs: number };
  retry: Required<RetryOptions>;
  deadLetter: { topic: string | undefined; writeAttempts: number; recoveryDelayMs: number } | false;
  shutdown: { drainTimeoutMs: number; signals: NodeJS.Signals[]; exitProcess: boolean };
  codec: Codec<T>;
  logger: Logger;
  ssl: boolean | ConnectionOptions | undefined;
  sasl: SaslOptions | undefined;
  concurrency: number;
  sessionTimeoutMs: number;
  heartbeatIntervalMs: number;
  rebalanceTimeoutMs: number;
  maxWaitTimeMs: number;
  handler: Handler<T>;
}

function resolve<T>(data: OptionData, handler: Handler<T>): ResolvedOptions<T> {
  const commit = typeof data.commit === 'object' ? data.commit : { strategy: data.commit ?? DEFAULTS.commit };
  const signals = (data.shutdown?.signals ?? [...DEFAULTS.shutdown.signals]) as NodeJS.Signals[];
  const groupId = (data.groupId ?? data.clientId) as string;
  return {
    brokers: data.brokers,
    clientId: data.clientId ?? groupId,
    groupId,
    topics: data.topics,
    fromBeginning: data.fromBeginning ?? DEFAULTS.fromBeginning,
    commit: {
      strategy: commit.strategy,
      intervalMs: ('intervalMs' in commit && commit.intervalMs) || DEFAULTS.commitIntervalMs,
    },
    retry: { ...DEFAULTS.retry, ...data.retry },
    deadLetter:
      data.deadLetter === false
        ? false
        : { topic: data.deadLetter?.topic, ...DEFAULTS.deadLetter, ...withoutTopic(data.deadLetter) },
    shutdown: {
      drainTimeoutMs: data.shutdown?.drainTimeoutMs ?? DEFAULTS.shutdown.drainTimeoutMs,
      signals,
      exitProcess: data.shutdown?.exitProcess ?? signals.length > 0,
    },
    codec: (data.codec as Codec<T> | undefined) ?? (rawCodec as Codec<T>),
    logger: (data.logger as Logger | undefined) ?? createJsonLogger({ level: 'info', bindings: { groupId } }),
    ssl: data.ssl as ResolvedOptions['ssl'],
    sasl: data.sasl as SaslOptions | undefined,
    concurrency: data.concurrency ?? DEFAULTS.concurrency,
    sessionTimeoutMs: data.sessionTimeoutMs ?? DEFAULTS.sessionTimeoutMs,
    heartbeatIntervalMs: data.heartbeatIntervalMs ?? DEFAULTS.heartbeatIntervalMs,
    rebalanceTimeoutMs: data.rebalanceTimeoutMs ?? DEFAULTS.rebalanceTimeoutMs,
    maxWaitTimeMs: data.maxWaitTimeMs ?? DEFAULTS.maxWaitTimeMs,
    handler,
  };
}

function withoutTopic(dl: { topic?: string; writeAttempts?: number; recoveryDelayMs?: number } | undefined) {
  const out: { writeAttempts?: number; recoveryDelayMs?: number } = {};
  if (dl?.writeAttempts !== undefined) out.writeAttempts = dl.writeAttempts;
  if (dl?.recoveryDelayMs !== undefined) out.recoveryDelayMs = dl.recoveryDelayMs;
  return out;
}

/** Validates consumer options and applies defaults. Throws ConfigError naming every bad field and its fix. */
export function resolveOptions<T>(input: ConsumerOptions<T>): ResolvedOptions<T> {
  const data = checkOptions(input, true, optionName);
  return resolve(data, input.handler);
}

/** Validates options without a handler (env loader); `nameOf` maps an option path to the name shown in errors. */
export function validateOptionsWithoutHandler<T extends Omit<ConsumerOptions<unknown>, 'handler'>>(
  input: T,
  nameOf: Namer = optionName,
): T {
  checkOptions(input, false, nameOf);
  return input;
}
