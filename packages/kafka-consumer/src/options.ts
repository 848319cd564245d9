import type { ConnectionOptions } from 'node:tls';
import { z } from 'zod';
import { type Codec, rawCodec } from './codec.js';
import { DEFAULTS } from './defaults.js';
import { ConfigError } from './errors.js';
import { defaultMissingTopics } from './group/missing-topics.js';
import { createJsonLogger, type Logger } from './logger.js';
import { MAX_TIERS } from './naming.js';
import { crossCheck } from './options-rules.js';
import type { Handler } from './types.js';
import * as f from './validation.js';

export { DEFAULTS };

const commitObject = z.strictObject({
  /** @default 'interval' when intervalMs is given, else 'per-batch' */
  strategy: f.strategy.optional(),
  /** Commit period of the interval strategy. @default 5000 */
  intervalMs: f.int(1, 'milliseconds').optional(),
  /**
   * per-message: finished-but-uncommitted messages of a partition before the next handler waits for
   * the commit in flight (1 = every message waits for its own acknowledged commit). @default 500
   */
  maxUncommitted: f.int(1, 'messages; 1 waits for every commit').optional(),
});

const commitOf = (c: z.output<typeof f.strategy> | z.output<typeof commitObject>) => {
  const o = typeof c === 'string' ? { strategy: c } : c;
  return {
    strategy: o.strategy ?? (o.intervalMs === undefined ? DEFAULTS.commit : 'interval'),
    intervalMs: o.intervalMs ?? DEFAULTS.commitIntervalMs,
    maxUncommitted: o.maxUncommitted ?? DEFAULTS.maxUncommitted,
  };
};

/**
 * Records a share consumer acquires per fetch and holds at most per partition: each one is locked
 * to this member until its handler finished, so about what the handlers can start soon.
 */
export const shareBatchSize = (concurrency: number): number => Math.min(500, Math.max(10, concurrency * 2));

/**
 * The consumer options: one schema is the source of their types, defaults and validation. Its
 * input type is `ConsumerOptions`, its output type `ResolvedOptions`.
 */
const shape = {
  /** Bootstrap brokers, `host:port`. */
  brokers: z.array(f.broker, { error: 'must be an array of "host:port" strings' }).min(1, {
    error: 'must list at least one broker, e.g. ["localhost:9092"]',
  }),
  /** Client id reported to the brokers. @default groupId */
  clientId: f.name.optional(),
  /** Consumer group id. @default clientId */
  groupId: f.name.optional(),
  /** Topics to subscribe to (at least one). */
  topics: z.array(f.topicName, { error: 'must be an array of topic names' }).min(1, {
    error: 'must list at least one topic to consume, e.g. ["orders.placed"]',
  }),
  /**
   * A source topic that does not exist at start: 'wait' until it does (a warning naming it every
   * 30 s, /readyz 503 with the reason), 'fail' at once naming it and the command that creates it.
   * @default 'fail' when NODE_ENV=production, else 'wait'
   */
  missingTopics: z.enum(['wait', 'fail'], { error: 'must be "wait" or "fail"' }).optional(),
  /** Start from the earliest offset when the group has no committed offset. @default false */
  fromBeginning: z.boolean({ error: 'must be true or false' }).optional(),
  /** When finished offsets are committed. @default 'per-batch' */
  commit: z
    .union([f.strategy, commitObject], {
      error: 'must be "per-message", "per-batch", "interval" or { strategy: "interval", intervalMs: 5000 }',
    })
    .optional()
    .transform((c) => (c === undefined ? undefined : commitOf(c))),
  /**
   * 'partition': one message at a time per partition, in offset order; 'key': one at a time per
   * message key (byte-equal; null keys are one key per partition), different keys in parallel;
   * 'unordered': any message beside any other. @default 'partition'
   */
  ordering: f.ordering.optional(),
  /**
   * 'consumer': a consumer group (committed offsets, ordering); 'share': a share group (KIP-932,
   * Kafka 4.2+), records acquired and acknowledged one by one, no ordering. `createShareConsumer`
   * sets it. @default 'consumer'
   */
  groupType: z.enum(['consumer', 'share'], { error: 'must be "consumer" or "share"' }).default('consumer'),
  /**
   * Most handler calls in flight in the whole consumer. With 'partition' ordering that is at most
   * one per partition (partitions processed at once). @default 1
   */
  concurrency: f.int(1, 'handler calls in flight at once').default(DEFAULTS.concurrency),
  /** 'key' / 'unordered': buffered messages of a partition above which its fetch pauses. @default 2000 */
  maxBufferedPerPartition: f
    .int(1, 'messages buffered per partition')
    .default(DEFAULTS.maxBufferedPerPartition),
  retry: z
    .strictObject({
      /** Retries after the first attempt (0 = no retry). @default 3 */
      maxRetries: f.int(0, 'use 0 to disable retries').default(DEFAULTS.retry.maxRetries),
      /** Upper bound of the first backoff delay. @default 100 */
      initialDelayMs: f.int(0, 'milliseconds').default(DEFAULTS.retry.initialDelayMs),
      /** Cap of any backoff delay. @default 30000 */
      maxDelayMs: f.int(0, 'milliseconds').default(DEFAULTS.retry.maxDelayMs),
      /** Growth factor per attempt. @default 2 */
      multiplier: z
        .number({ error: 'must be a number' })
        .min(1, { error: 'must be >= 1' })
        .default(DEFAULTS.retry.multiplier),
      /** 'full': random delay in [0, cap] (AWS "full jitter"); 'none': exactly the cap. @default 'full' */
      jitter: z.enum(['full', 'none'], { error: 'must be "full" or "none"' }).default(DEFAULTS.retry.jitter),
      /**
       * Backoff while a handler throws DependencyUnavailableError (a database down): retried until it
       * succeeds or the consumer stops, never dead-lettered, not counted in maxRetries; the delay
       * grows by `multiplier` up to maxDelayMs. @default { initialDelayMs: 200, maxDelayMs: 10000 }
       */
      unavailable: z
        .strictObject({
          initialDelayMs: f.int(1, 'milliseconds').default(DEFAULTS.retry.unavailable.initialDelayMs),
          maxDelayMs: f.int(1, 'milliseconds').default(DEFAULTS.retry.unavailable.maxDelayMs),
        })
        .prefault({}),
      /**
       * Retry tiers: after the in-place retries a failing message is written to the first tier's
       * topic (`<source>.<group>.retry.<delay>`) and handled again once its delay passed, without
       * holding its partition or key; then the next tier, then the DLQ. Delays strictly increase.
       * E.g. `[{ delay: '10s' }, { delay: '5m' }]`. @default [] (none)
       */
      topics: z
        .array(z.strictObject({ delay: f.tierDelay }), {
          error: 'must be an array of tiers, e.g. [{ delay: "10s" }, { delay: "5m" }]',
        })
        .max(MAX_TIERS, { error: `must list at most ${MAX_TIERS} tiers` })
        .default([])
        .transform((tiers) => tiers.map((t) => ({ delayMs: t.delay }))),
    })
    .prefault({}),
  /** Dead-letter queue, or `false` to stop the partition instead. @default {} (topic `${sourceTopic}.dlq`) */
  deadLetter: z
    .union([
      z.literal(false),
      z.strictObject({
        /** One DLQ topic for every source topic. @default `${sourceTopic}.dlq` */
        topic: f.topicName.optional(),
        /** Write attempts before the partition is paused. @default 3 */
        writeAttempts: f.int(1, 'at least one write attempt').default(DEFAULTS.deadLetter.writeAttempts),
        /** How long a partition stays paused after a failed DLQ write before it is tried again. @default 5000 */
        recoveryDelayMs: f.int(0, 'milliseconds').default(DEFAULTS.deadLetter.recoveryDelayMs),
        /**
         * Create missing DLQ topics at connect (explicit partitions and replication factor); false:
         * start-up fails naming the missing topic. Never created implicitly by a write. @default true
         */
        createTopics: z.boolean({ error: 'must be true or false' }).default(DEFAULTS.deadLetter.createTopics),
        /** Partitions of a created DLQ topic. @default 1 */
        partitions: f.int(1, 'partitions').default(DEFAULTS.deadLetter.partitions),
        /** Replication factor of a created DLQ topic. @default 3, or the number of brokers when fewer */
        replicationFactor: f.int(1, 'replicas').optional(),
      }),
    ])
    .prefault({}),
  shutdown: z
    .strictObject({
      /** Time in-flight handlers get to finish on disconnect/signal before their `signal` aborts. @default 30000 */
      drainTimeoutMs: f.int(0, 'milliseconds').default(DEFAULTS.shutdown.drainTimeoutMs),
      /** Signals that trigger a graceful shutdown; `[]` disables signal handling. @default ['SIGTERM', 'SIGINT'] */
      signals: z
        .array(z.string().regex(/^SIG[A-Z0-9]+$/, { error: 'must be a signal name like "SIGTERM"' }))
        .default([...DEFAULTS.shutdown.signals])
        .transform((s) => s as NodeJS.Signals[]),
      /** Exit the process (EXIT_CODES) after a signal-triggered shutdown or a fatal crash. @default true when signals are handled */
      exitProcess: z.boolean({ error: 'must be true or false' }).optional(),
    })
    .prefault({}),
  /** Decodes `message.value` into `value`; a decode failure goes straight to the DLQ. @default raw (Buffer | null) */
  codec: f.codec.default(rawCodec as Codec<unknown>),
  /** pino-compatible logger. @default JSON lines to stderr at level info */
  logger: f.logger.optional(),
  /** TLS: `true` or Node TLS options, passed to KafkaJS. @default undefined (plaintext) */
  ssl: z
    .union([z.boolean(), z.record(z.string(), z.unknown())], { error: 'must be true/false or TLS options' })
    .transform((v) => v as boolean | ConnectionOptions)
    .optional(),
  /** SASL credentials, passed to KafkaJS. @default undefined */
  sasl: f.sasl.optional(),
  /** Group session timeout. @default 30000 */
  sessionTimeoutMs: f.int(1000, 'milliseconds').default(DEFAULTS.sessionTimeoutMs),
  /** Heartbeat interval (below sessionTimeoutMs). @default 3000 */
  heartbeatIntervalMs: f.int(1, 'milliseconds').default(DEFAULTS.heartbeatIntervalMs),
  /** Group rebalance timeout; also bounds how long a revoke waits for in-flight handlers. @default 60000 */
  rebalanceTimeoutMs: f.int(1000, 'milliseconds').default(DEFAULTS.rebalanceTimeoutMs),
  /** Longest a fetch waits for data; bounds how long an idle consumer takes to stop. @default 500 */
  maxWaitTimeMs: f.int(0, 'milliseconds').default(DEFAULTS.maxWaitTimeMs),
};

/** The options after their field checks, before the rules that span fields (options-rules.ts). */
export type OptionsData = z.output<z.ZodObject<typeof shape>>;

const dataSchema = z.strictObject(shape).superRefine(crossCheck);
const optionsSchema = z
  .strictObject({
    ...shape,
    /** The one function you implement: resolve = processed; throw = failed (retried unless NonRetryableError). */
    handler: f.isFunction<Handler<unknown>>('an async function ({ topic, partition, message, value }) => {}'),
  })
  .superRefine(crossCheck)
  .transform((o) => {
    const groupId = (o.groupId ?? o.clientId) as string;
    return {
      ...o,
      fromBeginning: o.fromBeginning ?? DEFAULTS.fromBeginning,
      commit: o.commit ?? commitOf(DEFAULTS.commit),
      // A share group's records arrive from any partition to any member: no order to keep.
      ordering: o.ordering ?? (o.groupType === 'share' ? 'unordered' : DEFAULTS.ordering),
      // A share consumer's buffer is records locked to it: never more than a fetch's worth.
      maxBufferedPerPartition:
        o.groupType === 'share'
          ? Math.min(o.maxBufferedPerPartition, shareBatchSize(o.concurrency))
          : o.maxBufferedPerPartition,
      groupId,
      clientId: o.clientId ?? groupId,
      missingTopics: o.missingTopics ?? defaultMissingTopics(process.env.NODE_ENV),
      logger: o.logger ?? createJsonLogger({ level: 'info', bindings: { groupId } }),
      shutdown: { ...o.shutdown, exitProcess: o.shutdown.exitProcess ?? o.shutdown.signals.length > 0 },
    };
  });

type Input = z.input<typeof optionsSchema>;
type Output = z.output<typeof optionsSchema>;

/** What createConsumer takes (the schema's input type, typed by the handler's value). */
export type ConsumerOptions<T = Buffer | null> = Omit<Input, 'handler' | 'codec'> & {
  handler: Handler<T>;
  codec?: Codec<T>;
};
/** Options after validation and defaults (the schema's output type); what the runtime works with. */
export type ResolvedOptions<T = Buffer | null> = Omit<Output, 'handler' | 'codec' | 'logger'> & {
  handler: Handler<T>;
  codec: Codec<T>;
  logger: Logger;
};
export type CommitStrategyName = ResolvedOptions['commit']['strategy'];
export type CommitOption = NonNullable<Input['commit']>;
export type Ordering = ResolvedOptions['ordering'];
export type RetryOptions = NonNullable<Input['retry']>;
export type DeadLetterOptions = Exclude<NonNullable<Input['deadLetter']>, false>;
export type ShutdownOptions = NonNullable<Input['shutdown']>;
export type SaslOptions = NonNullable<Input['sasl']>;

export type Namer = f.Namer;

function issuesOf(error: z.ZodError, nameOf: Namer): string[] {
  const issues: string[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys)
        issues.push(`${nameOf([...issue.path, key])}: unknown option, remove it or check its spelling`);
    } else issues.push(`${nameOf(issue.path)}: ${issue.message}`);
  }
  return issues;
}

/** Validates consumer options and applies defaults. Throws ConfigError naming every bad field and its fix. */
export function resolveOptions<T>(input: ConsumerOptions<T>): ResolvedOptions<T> {
  const parsed = optionsSchema.safeParse(input);
  if (!parsed.success) throw new ConfigError(issuesOf(parsed.error, f.optionName), { cause: parsed.error });
  return parsed.data as unknown as ResolvedOptions<T>;
}

/** Validates options without a handler (env loader); `nameOf` maps an option path to the name shown in errors. */
export function validateOptionsWithoutHandler<T extends Omit<ConsumerOptions<unknown>, 'handler'>>(
  input: T,
  nameOf: Namer = f.optionName,
): T {
  const parsed = dataSchema.safeParse(input);
  if (!parsed.success) throw new ConfigError(issuesOf(parsed.error, nameOf), { cause: parsed.error });
  return input;
}
