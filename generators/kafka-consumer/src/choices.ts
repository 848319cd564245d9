/** The generator's choices: the values each choice question takes and the one line each shows (prompts, --help, templates). */

export const GROUP_TYPES = ['consumer', 'share'] as const;
export type GroupType = (typeof GROUP_TYPES)[number];

/** One line each: what the group type gives. Shown by the prompt and by --help. */
export const GROUP_TYPE_TRADE_OFFS: Record<GroupType, string> = {
  consumer: 'a consumer group: partitions split among members, committed offsets, ordering',
  share:
    'a share group (KIP-932, Kafka 4.2+): a queue, any number of members share the records, no order; no commit or ordering to choose',
};

/** The handler comment's line on how calls overlap in a share group. */
export const SHARE_HANDLER_NOTE =
  'Called for each record the share group hands this member, in no particular order: up to KAFKA_CONCURRENCY calls run at once; other members get other records, and a record comes back (attempt + 1) when its member died or its lock ran out.';

export const COMMIT_STRATEGIES = ['per-message', 'per-batch', 'interval'] as const;
export type CommitStrategy = (typeof COMMIT_STRATEGIES)[number];

/** One line each: what the strategy trades. Shown by the prompt and by --help. */
export const COMMIT_TRADE_OFFS: Record<CommitStrategy, string> = {
  'per-message': 'commit after every message: least redelivery after a crash, most commit traffic',
  'per-batch': 'commit once per fetched batch: far fewer commits, a crash redelivers up to one batch',
  interval: 'commit finished offsets on a timer: fewest commits, a crash redelivers up to one interval',
};

export const IDEMPOTENCY = ['none', 'postgres'] as const;
export type Idempotency = (typeof IDEMPOTENCY)[number];

/** One line each: what deduplication gives. Shown by the prompt and by --help. */
export const IDEMPOTENCY_TRADE_OFFS: Record<Idempotency, string> = {
  none: 'at-least-once: a redelivered message (crash, rebalance) calls the handler again; make its effect idempotent yourself',
  postgres:
    "a PostgreSQL inbox: the handler's effect and the message id commit in one transaction, a redelivery is skipped (needs DATABASE_URL)",
};

/** The dead-letter answer that means the runtime's own default: `<topic>.dlq` for each source topic. */
export const DLQ_PER_TOPIC = '<topic>.dlq';

export const ORDERINGS = ['partition', 'key', 'unordered'] as const;
export type Ordering = (typeof ORDERINGS)[number];

/** One line each: what the ordering guarantees. Shown by the prompt and by --help. */
export const ORDERING_TRADE_OFFS: Record<Ordering, string> = {
  partition: 'one message at a time per partition, in offset order (the runtime default)',
  key: 'messages with the same key in order, different keys in parallel (up to the concurrency)',
  unordered: 'any message beside any other (up to the concurrency): fastest, no order at all',
};

/** How the handler is called under each ordering: its doc comment's first line (service and add templates). */
export const ORDERING_HANDLER_NOTE: Record<Ordering, string> = {
  partition:
    'Called for each message, one at a time per partition, in offset order (partitions run side by side).',
  key: 'Called for each message; messages with the same key one at a time, in offset order; different keys run at the same time (up to KAFKA_CONCURRENCY calls).',
  unordered:
    'Called for each message in no particular order: up to KAFKA_CONCURRENCY calls run at once, from any partition and key.',
};
