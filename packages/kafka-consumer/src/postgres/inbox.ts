import { ConfigError, NonRetryableError } from '../errors.js';
import type { Handler, MessageContext } from '../types.js';
import {
  INBOX_DEFAULTS,
  type InboxClient,
  type InboxPool,
  type PostgresInboxOptions,
  resolveInboxOptions,
} from './options.js';
import { expireOnce, type RetentionSpec, RetentionTimer } from './retention.js';
import { inboxMigration, inboxStatements } from './sql.js';
import { classifyPostgresError, isPostgresUnavailable } from './unavailable.js';

/** What an inbox handler receives: the message context plus the transaction its effect belongs in. */
export type InboxContext<T, C extends InboxClient> = MessageContext<T> & {
  /** A client inside the inbox's transaction: write the effect through it (committed with the inbox row). */
  tx: C;
  /** The id this message is deduplicated on (per group). */
  messageId: string;
};

export type InboxHandler<T, C extends InboxClient> = (context: InboxContext<T, C>) => Promise<void> | void;

/** A message the inbox had already handled in this group: skipped, counted as processed. */
export interface DuplicateSkipped {
  groupId: string;
  messageId: string;
  topic: string;
  partition: number;
  offset: string;
}

export interface PostgresInbox<C extends InboxClient> {
  /** The table, as configured. */
  readonly table: string;
  /** Creates the table and its index if missing (idempotent; concurrent callers serialise on a lock). */
  migrate(): Promise<void>;
  /** Fails with one clear line naming the migration when the table is missing (a start-up check). */
  check(): Promise<void>;
  /** Wraps a handler: BEGIN; claim the message id; the effect through `tx`; COMMIT (or skip a duplicate). */
  handler<T = Buffer | null>(fn: InboxHandler<T, C>): Handler<T>;
  /** Listens to skipped duplicates; returns the function that stops listening. */
  onDuplicate(listener: (duplicate: DuplicateSkipped) => void): () => void;
  /** One retention pass now (rows older than retention.maxAgeMs); resolves with the rows deleted. */
  expire(): Promise<number>;
  /** Stops the retention timer (waits for a pass in flight). The pool stays the caller's. */
  close(): Promise<void>;
}

const defaultId = (ctx: MessageContext<unknown>): string =>
  `${ctx.topic}/${ctx.partition}/${ctx.message.offset}`;

/**
 * An inbox table in PostgreSQL that makes redeliveries no-ops: each message's id is inserted in the
 * same transaction as the handler's effect, so an effect is committed at most once per (group, id);
 * a redelivered message finds its row and is skipped. See the README's "Effectively once" section.
 */
export function createPostgresInbox<C extends InboxClient>(input: PostgresInboxOptions<C>): PostgresInbox<C> {
  const options = resolveInboxOptions(input as PostgresInboxOptions<InboxClient>);
  const pool = input.pool as InboxPool<C>;
  const { table, logger } = options;
  const sql = inboxStatements(table);
  const idOf = options.idOf ?? defaultId;
  const claimName = `kafkakit_inbox_claim_${table.replace('.', '_')}`.slice(0, 63);
  const listeners = new Set<(duplicate: DuplicateSkipped) => void>();
  const retention: RetentionSpec | undefined =
    options.retention === false
      ? undefined
      : {
          pool,
          expireSql: sql.expire,
          maxAgeMs: options.retention.maxAgeMs,
          batchSize: options.retention.batchSize,
          maxBatchesPerPass: INBOX_DEFAULTS.retention.maxBatchesPerPass,
        };
  const timer =
    retention === undefined || options.retention === false
      ? undefined
      : new RetentionTimer(retention, options.retention.intervalMs, logger);

  const withClient = async <R>(work: (client: C) => Promise<R>): Promise<R> => {
    let client: C;
    try {
      client = await pool.connect();
    } catch (error) {
      throw classifyPostgresError(error);
    }
    try {
      return await work(client);
    } finally {
      client.release();
    }
  };

  const skipped = (ctx: MessageContext<unknown>, messageId: string): void => {
    const duplicate = {
      groupId: ctx.groupId,
      messageId,
      topic: ctx.topic,
      partition: ctx.partition,
      offset: ctx.message.offset,
    };
    ctx.log.debug(duplicate, 'duplicate skipped: already handled (inbox)');
    for (const listener of listeners) {
      try {
        listener(duplicate);
      } catch (error) {
        ctx.log.error({ err: error }, 'inbox duplicate listener threw; ignored');
      }
    }
  };

  const handle = async <T>(fn: InboxHandler<T, C>, ctx: MessageContext<T>): Promise<void> => {
    const messageId = idOf(ctx as MessageContext<unknown>);
    if (typeof messageId !== 'string' || messageId === '')
      throw new NonRetryableError(
        `idOf returned ${JSON.stringify(messageId)}: it must return a non-empty string`,
      );
    let client: C;
    try {
      client = await pool.connect();
    } catch (error) {
      throw classifyPostgresError(error);
    }
    let broken: Error | undefined;
    const onError = (error: Error) => {
      broken = error;
    };
    client.on('error', onError);
    let failure: unknown;
    try {
      const { topic, partition, message } = ctx;
      await client.query('begin');
      // A named statement: parsed and planned once per connection.
      const claimed = await client.query({
        name: claimName,
        text: sql.claim,
        values: [ctx.groupId, messageId, topic, partition, message.offset],
      });
      if (claimed.rowCount === 0) {
        await client.query('rollback');
        skipped(ctx as MessageContext<unknown>, messageId);
        return;
      }
      await fn({ ...ctx, tx: client, messageId });
      await client.query('commit');
    } catch (error) {
      failure = error;
      if (broken === undefined) await client.query('rollback').catch(() => undefined);
      throw classifyPostgresError(error);
    } finally {
      client.removeListener('error', onError);
      // A connection that broke (or may have) is closed, not handed to the next message.
      client.release(broken ?? (isPostgresUnavailable(failure) ? true : undefined));
    }
  };

  return {
    table,
    migrate: () =>
      withClient(async (client) => {
        await client.query('begin');
        try {
          await client.query('select pg_advisory_xact_lock(hashtext($1))', [`kafkakit-inbox:${table}`]);
          await client.query(inboxMigration(table));
          await client.query('commit');
        } catch (error) {
          await client.query('rollback').catch(() => undefined);
          throw classifyPostgresError(error);
        }
      }),
    check: () =>
      withClient(async (client) => {
        const { rows } = await client.query(sql.exists, [table]);
        if ((rows[0] as { exists?: boolean } | undefined)?.exists !== true) {
          throw new ConfigError([
            `inbox table "${table}" does not exist: run the migration (inbox.migrate(), or sql/postgres-inbox.sql from @kafkakit/kafka-consumer)`,
          ]);
        }
      }),
    handler:
      <T>(fn: InboxHandler<T, C>): Handler<T> =>
      (ctx) =>
        handle(fn, ctx),
    onDuplicate: (listener) => {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    expire: () => (retention === undefined ? Promise.resolve(0) : expireOnce(retention)),
    close: async () => {
      await timer?.close();
    },
  };
}
