import { FIELD_ORDER, type FieldKey } from './schema.js';

/** The generators' names and the schema fields each one takes (flags, prompts). */
export const SERVICE_GENERATOR = 'kafka-consumer';
export const ADD_GENERATOR = 'kafka-consumer:add';

export const SERVICE_FIELDS: readonly FieldKey[] = FIELD_ORDER;
export const ADD_FIELDS: readonly FieldKey[] = FIELD_ORDER;
