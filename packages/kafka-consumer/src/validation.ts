import { z } from 'zod';
import type { Codec } from './codec.js';
import type { Logger } from './logger.js';
import { brokerProblem, parseDelay, TIER_DELAY_MAX_MS, TIER_DELAY_MIN_MS, topicProblem } from './naming.js';

/** Field schemas shared by the option schema; each message says what is wrong and how to fix it. */

/** The topic and broker rules are the naming module's, shared with the generator. */
export const topicName = z.string({ error: 'must be a string' }).superRefine((value, ctx) => {
  const problem = topicProblem(value);
  if (problem !== undefined)
    ctx.addIssue({
      code: 'custom',
      message: `is not a valid Kafka topic name: ${problem} (1-249 characters from [a-zA-Z0-9._-], not "." or "..")`,
    });
});

export const broker = z.string({ error: 'must be a string' }).superRefine((value, ctx) => {
  const problem = brokerProblem(value);
  if (problem !== undefined)
    ctx.addIssue({
      code: 'custom',
      message: `must be "host:port" with a port from 1 to 65535 that KafkaJS can use, e.g. "localhost:9092": ${problem}`,
    });
});

export const int = (min: number, fix: string) =>
  z
    .number({ error: `must be a number (${fix})` })
    .int({ error: `must be an integer (${fix})` })
    .min(min, { error: `must be >= ${min} (${fix})` });

export const name = z.string({ error: 'must be a string' }).min(1, { error: 'must not be empty' });

export const strategy = z.enum(['per-message', 'per-batch', 'interval'], {
  error: 'must be one of "per-message", "per-batch", "interval" (or { strategy: "interval", intervalMs })',
});

export const ordering = z.enum(['partition', 'key', 'unordered'], {
  error: 'must be "partition" (one at a time per partition), "key" (one at a time per key) or "unordered"',
});

export const isFunction = <F>(what: string) =>
  z.custom<F>((v) => typeof v === 'function', { error: `must be ${what}` });

export const codec = z.custom<Codec<unknown>>(
  (v) =>
    typeof v === 'object' &&
    v !== null &&
    typeof (v as Codec).name === 'string' &&
    typeof (v as Codec).decode === 'function',
  { error: 'must be a codec { name, decode(value) }' },
);

export const logger = z.custom<Logger>(
  (v) =>
    typeof v === 'object' &&
    v !== null &&
    ['debug', 'info', 'warn', 'error'].every((m) => typeof (v as Record<string, unknown>)[m] === 'function'),
  { error: 'must be a pino-compatible logger with debug/info/warn/error methods' },
);

export const sasl = z.union(
  [
    z.strictObject({
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
);

export type Namer = (path: readonly PropertyKey[]) => string;
export const optionName: Namer = (path) => path.map(String).join('.') || '(options)';

/** A retry tier's delay: milliseconds, or text such as "10s", "5m", "1h", "250ms"; resolves to milliseconds. */
export const tierDelay = z
  .union([z.number(), z.string()], { error: 'must be milliseconds or a duration such as "10s" or "5m"' })
  .transform((value, ctx) => {
    const ms = typeof value === 'number' ? value : parseDelay(value);
    if (typeof ms === 'string') {
      ctx.addIssue({ code: 'custom', message: ms });
      return z.NEVER;
    }
    if (!Number.isInteger(ms) || ms < TIER_DELAY_MIN_MS || ms > TIER_DELAY_MAX_MS) {
      ctx.addIssue({
        code: 'custom',
        message: `must be a whole number of milliseconds from ${TIER_DELAY_MIN_MS} (100ms) to ${TIER_DELAY_MAX_MS} (168h), got ${JSON.stringify(value)}`,
      });
      return z.NEVER;
    }
    return ms;
  });
