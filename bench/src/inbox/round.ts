import { createConsumer, noopLogger } from '@kafkakit/kafka-consumer';
import { uniqueName } from '@kafkakit/kafka-testkit';
import type pg from 'pg';
import type { Contender } from './contenders.js';

export const CONCURRENCY = 32;

export interface InboxRound {
  contender: string;
  round: number;
  messages: number;
  seconds: number;
  msgPerSec: number;
  /** Write transactions committed by the database per second in the window (xid delta). */
  dbCommitsPerSec: number;
  /** Effect rows in the table after the round (the topic holds exactly `messages`: must be equal). */
  rows: number;
}

/** The database's next transaction id: the count of write transactions so far (each takes one). */
async function xid(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ x: string }>('select pg_current_xact_id()::text as x');
  return Number(rows[0]?.x);
}

/**
 * One round: a fresh group reads `messages` from the start of `topic` with `ordering: 'key'`,
 * concurrency 32; msg/s from the first finished message to the `messages`-th.
 */
export async function runRound(
  args: { brokers: string[]; topic: string; pool: pg.Pool; messages: number; round: number },
  contender: Contender,
): Promise<InboxRound> {
  const { pool, messages } = args;
  let finished = 0;
  let first = 0;
  let last = 0;
  let reached!: () => void;
  const all = new Promise<void>((resolve) => {
    reached = resolve;
  });
  const consumer = createConsumer({
    brokers: args.brokers,
    groupId: uniqueName(`bench-inbox-${contender.id}`),
    topics: [args.topic],
    fromBeginning: true,
    ordering: 'key',
    concurrency: CONCURRENCY,
    commit: 'per-batch',
    logger: noopLogger,
    shutdown: { signals: [] },
    handler: contender.handler(() => {
      finished++;
      if (finished === 1) first = performance.now();
      if (finished === messages) {
        last = performance.now();
        reached();
      }
    }),
  });
  const before = await xid(pool);
  await consumer.run();
  const timeout = setTimeout(() => reached(), 180_000);
  await all;
  clearTimeout(timeout);
  const after = await xid(pool);
  await consumer.disconnect();
  const seconds = ((last || performance.now()) - first) / 1000;
  const { rows } = await pool.query<{ n: string }>('select count(*) n from bench_effects');
  return {
    contender: contender.id,
    round: args.round,
    messages: Math.min(finished, messages),
    seconds,
    msgPerSec: Math.min(finished, messages) / seconds,
    // The window also spans the group join; the rate counts only commits, over the message window.
    dbCommitsPerSec: (after - before - 1) / seconds,
    rows: Number(rows[0]?.n ?? 0),
  };
}
