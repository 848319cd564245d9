import type { ConnectionOptions } from 'node:tls';
import { z } from 'zod';
import { type Codec, rawCodec } from './codec.js';
import { ConfigError } from './errors.js';
import { createJsonLogger, type Logger } from './logger.js';
import type { Handler } from './types.js';

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

const TOPIC_RE = /^[a-zA-Z0-9._-]{1,249}$/;
const topicName = z
  .string({ error: 'must be a string' })
  .refine((t) => TOPIC_RE.test(t) && t !== '.' && t !== '..', {
    error: 'is not a valid Kafka topic name: use 1-249 characters from [a-zA-Z0-9._-], not "." or ".."',
  });
const broker = z.string({ error: 'must be a string' }).refine(
  (b) => {
    const match = /^([^\s:/]+|\[[0-9a-fA-F:.]+\]):(\d{1,5})$/.exec(b);
    return match !== null && Number(match[2]) > 0 && Number(match[2]) <= 65_535;
  },
  { error: 'must be "host:port" with a port from 1 to 65535, e.g. "localhost:9092"' },
);
const int = (min: number, fix: string) =>
  z
    .number({ error: `must be a number (${fix})` })
    .int({ error: `must be an integer (${fix})` })
    .min(min, {
      error: `must be >= ${min} (${fix})`,
    });
const name = z.string({ error: 'must be a string' }).min(1, { error: 'must not be empty' });
const strategy = z.enum(['per-message', 'per-batch', 'interval'], {
  error: 'must be one of "per-message", "per-batch", "interval" (or { strategy: "interval", intervalMs })',
});
const isFunction = (what: string) =>
  z.custom<(...args: never[]) => unknown>((v) => typeof v === 'function', { error: `must be ${what}` });

const dataSchema = {
  brokers: z.array(broker, { error: 'must be an array of "host:port" strings' }).min(1, {
    error: 'must list at least one broker, e.g. ["localhost:9092"]',
  }),
  clientId: name.optional(),
  groupId: name.optional(),
  topics: z.array(topicName, { error: 'must be an array of topic names' }).min(1, {
    error: 'must list at least one topic to consume, e.g. ["orders.placed"]',
  }),
  fromBeginning: z.boolean({ error: 'must be true or false' }).optional(),
  commit: z
    .union([strategy, z.strictObject({ strategy, intervalMs: int(1, 'milliseconds').optional() })], {
      error: 'must be "per-message", "per-batch", "interval" or { strategy: "interval", intervalMs: 5000 }',
    })
    .optional(),
  retry: z
    .strictObject({
      maxRetries: int(0, 'use 0 to disable retries').optional(),
      initialDelayMs: int(0, 'milliseconds').optional(),
      maxDelayMs: int(0, 'milliseconds').optional(),
      multiplier: z.number({ error: 'must be a number' }).min(1, { error: 'must be >= 1' }).optional(),
      jitter: z.enum(['full', 'none'], { error: 'must be "full" or "none"' }).optional(),
    })
    .optional(),
  deadLetter: z
    .union([
      z.literal(false),
      z.strictObject({
        topic: topicName.optional(),
        writeAttempts: int(1, 'at least one write attempt').optional(),
        recoveryDelayMs: int(0, 'milliseconds').optional(),
      }),
    ])
    .optional(),
  shutdown: z
    .strictObject({
      drainTimeoutMs: int(0, 'milliseconds').optional(),
      signals: z
        .array(z.string().regex(/^SIG[A-Z0-9]+$/, { error: 'must be a signal name like "SIGTERM"' }))
        .optional(),
      exitProcess: z.boolean({ error: 'must be true or false' }).optional(),
    })
    .optional(),
  codec: z
    .object({ name: z.string(), decode: isFunction('a function') }, { error: 'must be a codec' })
    .optional(),
  logger: z
    .object(
      {
        debug: isFunction('a function'),
        info: isFunction('a function'),
        warn: isFunction('a function'),
        error: isFunction('a function'),
      },
      { error: 'must be a pino-compatible logger with debug/info/warn/error methods' },
    )
    .optional(),
  ssl: z
    .union([z.boolean(), z.record(z.string(), z.unknown())], { error: 'must be true/false or TLS options' })
    .optional(),
  sasl: z
    .union(
      [
        z.object({
          mechanism: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']),
          username: name,
          password: name,
        }),
        z.looseObject({ mechanism: z.enum(['aws', 'oauthbearer']) }),
      ],
      {
        error:
          'must be { mechanism: "plain"|"scram-sha-256"|"scram-sha-512", username, password } or aws/oauthbearer options',
      },
    )
    .optional(),
  concurrency: int(1, 'partitions processed at once').optional(),
  sessionTimeoutMs: int(1000, 'milliseconds').optional(),
  heartbeatIntervalMs: int(1, 'milliseconds').optional(),
  rebalanceTimeoutMs: int(1000, 'milliseconds').optional(),
  maxWaitTimeMs: int(0, 'milliseconds').optional(),
};

const withHandler = z.strictObject({
  ...dataSchema,
  handler: isFunction('an async function ({ topic, partition, message, value }) => {}'),
});
const withoutHandler = z.strictObject(dataSchema);

type Namer = (path: readonly PropertyKey[]) => string;
const optionName: Namer = (path) => path.map(String).join('.') || '(options)';

function check(
  schema: typeof withHandler | typeof withoutHandler,
  input: unknown,
  nameOf: Namer,
): z.infer<typeof withoutHandler> {
  const parsed = schema.safeParse(input);
  const issues: string[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys)
          issues.push(`${nameOf([...issue.path, key])}: unknown option, remove it or check its spelling`);
      } else {
        issues.push(`${nameOf(issue.path)}: ${issue.message}`);
      }
    }
    throw new ConfigError(issues, { cause: parsed.error });
  }
  const data = parsed.data;
  if (data.clientId === undefined && data.groupId === undefined) {
    issues.push(`${nameOf(['groupId'])}: set groupId (or clientId, which it defaults to)`);
  }
  const retry = { ...DEFAULTS.retry, ...data.retry };
  if (retry.maxDelayMs < retry.initialDelayMs) {
    issues.push(
      `${nameOf(['retry', 'maxDelayMs'])}: must be >= retry.initialDelayMs (${retry.initialDelayMs})`,
    );
  }
  const session = data.sessionTimeoutMs ?? DEFAULTS.sessionTimeoutMs;
  if ((data.heartbeatIntervalMs ?? DEFAULTS.heartbeatIntervalMs) >= session) {
    issues.push(
      `${nameOf(['heartbeatIntervalMs'])}: must be below sessionTimeoutMs (${session}), typically a third of it`,
    );
  }
  if (data.deadLetter !== false) {
    const dlq = data.deadLetter?.topic;
    for (const topic of data.topics) {
      const target = dlq ?? `${topic}${DEFAULTS.deadLetterSuffix}`;
      if (target === topic)
        issues.push(
          `${nameOf(['deadLetter', 'topic'])}: "${target}" is also a source topic; use a separate topic such as "${topic}.dlq"`,
        );
      else if (dlq === undefined && !TOPIC_RE.test(target))
        issues.push(
          `${nameOf(['topics'])}: "${topic}" is too long to derive its dead-letter topic "${target}"; set deadLetter.topic`,
        );
    }
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return data;
}

function resolve<T>(data: z.infer<typeof withoutHandler>, handler: Handler<T>): ResolvedOptions<T> {
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
  const data = check(withHandler, input, optionName);
  return resolve(data, input.handler);
}

/** Validates options without a handler (env loader); `nameOf` maps an option path to the name shown in errors. */
export function validateOptionsWithoutHandler(
  input: Omit<ConsumerOptions<unknown>, 'handler'>,
  nameOf: Namer = optionName,
): Omit<ConsumerOptions<unknown>, 'handler'> {
  check(withoutHandler, input, nameOf);
  return input;
}
