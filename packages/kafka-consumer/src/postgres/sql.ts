import { ConfigError } from '../errors.js';

/** The inbox table's default name (and the shipped migration's). */
export const DEFAULT_INBOX_TABLE = 'kafka_inbox';

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Validates `table` ("name" or "schema.name", lower-case SQL identifiers) and returns it quoted.
 * Only plain identifiers: the name goes into DDL and queries, never a user value.
 */
export function quoteTable(table: string): string {
  const parts = table.split('.');
  if (parts.length > 2 || parts.some((p) => !IDENTIFIER.test(p))) {
    throw new ConfigError([
      `table: "${table}" is not a plain table name: use lower-case letters, digits and _, optionally schema-qualified (e.g. "kafka_inbox" or "app.kafka_inbox")`,
    ]);
  }
  return parts.map((p) => `"${p}"`).join('.');
}

/** The index name beside `table` (unqualified, as PostgreSQL puts an index in its table's schema). */
function indexName(table: string, suffix: string): string {
  const name = table.split('.').at(-1) as string;
  return `"${`${name}_${suffix}`.slice(0, 63)}"`;
}

/**
 * Idempotent DDL of an inbox table: one row per (group, message id) handled. The primary key is the
 * deduplication (ON CONFLICT DO NOTHING); the handled_at index makes retention's deletes cheap.
 */
export function inboxMigration(table: string = DEFAULT_INBOX_TABLE): string {
  const t = quoteTable(table);
  return `-- Inbox of @kafkakit/kafka-consumer/postgres: one row per message a consumer group has handled.
-- Idempotent: safe to run at every start-up.
create table if not exists ${t} (
  group_id text not null,
  message_id text not null,
  topic text not null,
  "partition" integer not null,
  "offset" bigint not null,
  handled_at timestamptz not null default now(),
  primary key (group_id, message_id)
);
create index if not exists ${indexName(table, 'handled_at_idx')} on ${t} (handled_at);
`;
}

export interface InboxStatements {
  /** $1 group, $2 message id, $3 topic, $4 partition, $5 offset; one row back when it is new. */
  readonly claim: string;
  /** $1 cutoff (timestamptz), $2 batch size: deletes up to that many rows handled before the cutoff. */
  readonly expire: string;
  /** Whether the table exists (start-up check). $1 = the table name as written. */
  readonly exists: string;
}

export function inboxStatements(table: string): InboxStatements {
  const t = quoteTable(table);
  return {
    claim: `insert into ${t} (group_id, message_id, topic, "partition", "offset") values ($1, $2, $3, $4, $5) on conflict do nothing`,
    expire: `delete from ${t} where (group_id, message_id) in (select group_id, message_id from ${t} where handled_at < $1 order by handled_at limit $2)`,
    exists: 'select to_regclass($1) is not null as exists',
  };
}
