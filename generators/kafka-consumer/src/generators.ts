import { FIELD_ORDER, type FieldKey } from './schema.js';

/** The generators' names and the schema fields each one takes (flags, prompts). */
export const SERVICE_GENERATOR = 'kafka-consumer';
export const ADD_GENERATOR = 'kafka-consumer:add';
export const UPGRADE_GENERATOR = 'kafka-consumer:upgrade';

/** A new service reads the runtime's own KAFKA_* names. */
export const SERVICE_FIELDS: readonly FieldKey[] = FIELD_ORDER.filter((key) => key !== 'envPrefix');
/**
 * Adding to a host service: its variables may need a prefix (--env-prefix); always a consumer group;
 * no inbox (the host owns its database and its pool: it wraps the handler with createPostgresInbox itself).
 */
export const ADD_FIELDS: readonly FieldKey[] = FIELD_ORDER.filter(
  (key) => key !== 'groupType' && key !== 'idempotency',
);
