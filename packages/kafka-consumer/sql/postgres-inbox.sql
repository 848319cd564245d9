-- Inbox of @kafkakit/kafka-consumer/postgres: one row per message a consumer group has handled.
-- Idempotent: safe to run at every start-up.
create table if not exists "kafka_inbox" (
  group_id text not null,
  message_id text not null,
  topic text not null,
  "partition" integer not null,
  "offset" bigint not null,
  handled_at timestamptz not null default now(),
  primary key (group_id, message_id)
);
create index if not exists "kafka_inbox_handled_at_idx" on "kafka_inbox" (handled_at);
