import { z } from 'zod';
import { DEFAULTS } from './defaults.js';
import { ConfigError } from './errors.js';

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

export type Namer = (path: readonly PropertyKey[]) => string;
export const optionName: Namer = (path) => path.map(String).join('.') || '(options)';

/** Option data as validated (before defaults). */
export type OptionData = z.infer<typeof withoutHandler>;

/**
 * Validates options (with or without the handler); throws ConfigError listing every problem,
 * each named through `nameOf` (option path, or environment variable for the env loader).
 */
export function checkOptions(input: unknown, withHandlerFn: boolean, nameOf: Namer): OptionData {
  const parsed = (withHandlerFn ? withHandler : withoutHandler).safeParse(input);
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
