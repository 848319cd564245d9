import { z } from 'zod';
import { ConfigError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { MessageContext } from '../types.js';
import * as f from '../validation.js';
import { DEFAULT_INBOX_TABLE, quoteTable } from './sql.js';

/** What the inbox needs of a client (node-postgres' PoolClient fits). */
export interface InboxClient {
  query(text: string, values?: unknown[]): Promise<{ rowCount: number | null; rows: unknown[] }>;
  /** A named (prepared once per connection) statement. */
  query(config: {
    name: string;
    text: string;
    values: unknown[];
  }): Promise<{ rowCount: number | null; rows: unknown[] }>;
  release(error?: Error | boolean): void;
  on(event: 'error', listener: (error: Error) => void): unknown;
  removeListener(event: 'error', listener: (error: Error) => void): unknown;
}

/** What the inbox needs of a pool (node-postgres' Pool fits). */
export interface InboxPool<C extends InboxClient = InboxClient> {
  connect(): Promise<C>;
}

export const INBOX_DEFAULTS = {
  table: DEFAULT_INBOX_TABLE,
  retention: {
    /** 14 days: above Kafka's default topic retention (7 days), the longest a redelivery can come late. */
    maxAgeMs: 14 * 24 * 3_600_000,
    intervalMs: 60_000,
    batchSize: 1000,
    /** Batches per pass at most, so one pass stays short; the next pass goes on. */
    maxBatchesPerPass: 100,
  },
} as const;

const shape = {
  /** A node-postgres Pool (or anything with `connect()` giving a client with query/release). */
  pool: z.custom<InboxPool>((v) => typeof (v as InboxPool | undefined)?.connect === 'function', {
    error: 'must be a pg Pool (new Pool({ connectionString }))',
  }),
  /** The inbox table ("name" or "schema.name"). @default 'kafka_inbox' */
  table: z
    .string({ error: 'must be a string' })
    .default(INBOX_DEFAULTS.table)
    .superRefine((value, ctx) => {
      try {
        quoteTable(value);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as ConfigError).issues[0]?.replace(/^table: /, '') });
      }
    }),
  /**
   * The message id deduplicated on, per group. @default `${topic}/${partition}/${offset}` (removes
   * redeliveries); return a producer-assigned id (a header, the key, a value field) to also remove
   * a producer's own resends.
   */
  idOf: f
    .isFunction<(context: MessageContext<unknown>) => string>('a function (context) => string')
    .optional(),
  /** Deletes rows older than maxAgeMs, batchSize rows at a time, every intervalMs; false: never. */
  retention: z
    .union([
      z.literal(false),
      z.strictObject({
        maxAgeMs: f.int(60_000, 'milliseconds').default(INBOX_DEFAULTS.retention.maxAgeMs),
        intervalMs: f.int(1, 'milliseconds').default(INBOX_DEFAULTS.retention.intervalMs),
        batchSize: f.int(1, 'rows per delete').default(INBOX_DEFAULTS.retention.batchSize),
      }),
    ])
    .prefault({}),
  /** For retention's own lines (the duplicate lines go to the handler's `log`). @default no logs */
  logger: f.logger.optional(),
};

const schema = z.strictObject(shape);

export type PostgresInboxOptions<C extends InboxClient = InboxClient> = Omit<
  z.input<typeof schema>,
  'pool' | 'idOf'
> & {
  pool: InboxPool<C>;
  idOf?: (context: MessageContext<unknown>) => string;
};

export type ResolvedInboxOptions = Omit<z.output<typeof schema>, 'logger'> & { logger: Logger | undefined };

export function resolveInboxOptions(input: PostgresInboxOptions<InboxClient>): ResolvedInboxOptions {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => `${i.path.join('.') || '(options)'}: ${i.message}`),
      { cause: parsed.error },
    );
  }
  return parsed.data as ResolvedInboxOptions;
}
