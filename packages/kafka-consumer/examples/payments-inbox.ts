// Effectively once with the PostgreSQL inbox. Run against a local broker and database:
//   pnpm kafka & pnpm postgres &                 # a real broker on localhost:9092, PostgreSQL on :5432
//   KAFKA_BROKERS=localhost:9092 KAFKA_TOPICS=payments KAFKA_GROUP_ID=payments \
//     DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
//     node --import tsx packages/kafka-consumer/examples/payments-inbox.ts
// Each message inserts one row into `payments` in the same transaction as its inbox row: a redelivery
// (a crash, a rebalance, a group offset reset) is skipped, and a database outage waits, never dead-letters.
import pg from 'pg';
import { createConsumer, jsonCodec, loadOptionsFromEnv, NonRetryableError } from '../src/index.js';
import { createPostgresInbox } from '../src/postgres/index.js';

interface Payment {
  id: string;
  amountCents: number;
}

const isPayment = (v: unknown): v is Payment =>
  typeof v === 'object' && v !== null && typeof (v as Payment).id === 'string';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, connectionTimeoutMillis: 5000 });
pool.on('error', () => undefined); // idle clients of a database that went away; the inbox reports the rest
const inbox = createPostgresInbox({ pool, table: 'kafka_inbox' });
await inbox.migrate();
await pool.query(
  'create table if not exists payments (payment_id text not null, amount_cents bigint not null, source text not null)',
);

const consumer = createConsumer({
  ...loadOptionsFromEnv(),
  codec: jsonCodec,
  handler: inbox.handler(async ({ value, tx, messageId, log }) => {
    if (!isPayment(value)) throw new NonRetryableError('not a payment');
    await tx.query('insert into payments (payment_id, amount_cents, source) values ($1, $2, $3)', [
      value.id,
      value.amountCents,
      messageId,
    ]);
    log.info({ paymentId: value.id, messageId }, 'payment recorded');
  }),
});
inbox.onDuplicate((d) => console.error(`duplicate skipped: ${d.messageId}`));
consumer.on('message.waiting-for-dependency', (e) =>
  console.error(`waiting for ${e.dependency} (${e.waits}): ${e.error.message}`),
);
consumer.on('consumer.stopped', () => void Promise.all([inbox.close(), pool.end()]));
await consumer.run();
