import { setTimeout as sleep } from 'node:timers/promises';
import type { Handler } from '@kafkakit/kafka-consumer';
import { createPostgresInbox, type PostgresInbox } from '@kafkakit/kafka-consumer/postgres';
import type pg from 'pg';

export const EFFECTS = 'bench_effects';
export const INBOX = 'bench_inbox';
/** The handler's own work before its write: an awaited 1 ms timer (an I/O call elsewhere). */
export const HANDLER_MS = 1;

export type ContenderId = 'row' | 'row-in-tx' | 'row+inbox';

export interface Contender {
  readonly id: ContenderId;
  readonly title: string;
  /** The handler; `done()` is called once the message's work (its commit included) finished. */
  handler(done: () => void): Handler;
  close(): Promise<void>;
}

const insertEffect = `insert into ${EFFECTS} (message_id, payload) values ($1, $2)`;

/** The same handler writing the same row on its own (autocommit: one transaction per message). */
function rowOnly(pool: pg.Pool): Contender {
  return {
    id: 'row',
    title: '1 ms + one row (no inbox)',
    handler:
      (done) =>
      async ({ topic, partition, message }) => {
        await sleep(HANDLER_MS);
        await pool.query(insertEffect, [`${topic}/${partition}/${message.offset}`, message.value]);
        done();
      },
    close: async () => undefined,
  };
}

/**
 * Reference: the same row in an explicit transaction (BEGIN, row, COMMIT) without the inbox, to split
 * the inbox's cost into the transaction's round trips and the claim itself.
 */
function rowInTransaction(pool: pg.Pool): Contender {
  return {
    id: 'row-in-tx',
    title: '1 ms + one row in BEGIN/COMMIT (no inbox; reference)',
    handler:
      (done) =>
      async ({ topic, partition, message }) => {
        const client = await pool.connect();
        try {
          await client.query('begin');
          await sleep(HANDLER_MS);
          await client.query(insertEffect, [`${topic}/${partition}/${message.offset}`, message.value]);
          await client.query('commit');
        } finally {
          client.release();
        }
        done();
      },
    close: async () => undefined,
  };
}

/** The same handler and row inside the inbox's transaction (BEGIN, claim, row, COMMIT). */
function rowWithInbox(pool: pg.Pool): Contender {
  const inbox: PostgresInbox<pg.PoolClient> = createPostgresInbox({ pool, table: INBOX, retention: false });
  return {
    id: 'row+inbox',
    title: '1 ms + one row through the inbox',
    handler: (done) => {
      const wrapped = inbox.handler(async ({ tx, messageId, message }) => {
        await sleep(HANDLER_MS);
        await tx.query(insertEffect, [messageId, message.value]);
      });
      return async (ctx) => {
        await wrapped(ctx);
        done();
      };
    },
    close: () => inbox.close(),
  };
}

export function contenders(pool: pg.Pool): Contender[] {
  return [rowOnly(pool), rowWithInbox(pool), rowInTransaction(pool)];
}

/** Both tables, empty: each round starts from the same state. */
export async function resetTables(pool: pg.Pool): Promise<void> {
  await pool.query(`create table if not exists ${EFFECTS} (message_id text not null, payload bytea)`);
  await createPostgresInbox({ pool, table: INBOX, retention: false }).migrate();
  await pool.query(`truncate ${EFFECTS}, ${INBOX}`);
  await pool.query(`vacuum analyze ${EFFECTS}, ${INBOX}`);
}
