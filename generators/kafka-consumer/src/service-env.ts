import { ENV_VARIABLES, NOT_FOR_SHARE } from '@kafkakit/kafka-consumer';
import { DEFAULT_STUCK_AFTER_MS } from '@kafkakit/kafka-consumer/health';
import { DEFAULT_ENV_PREFIX, prefixedEnvName } from '@kafkakit/kafka-consumer/naming';
import { DLQ_PER_TOPIC } from './choices.js';
import type { Answers } from './schema.js';

/** One environment variable of a generated service, as .env, .env.example and the README show it. */
export interface ServiceVariable {
  /** With the service's prefix applied (KAFKA_BROKERS, or e.g. BILLING_KAFKA_BROKERS). */
  name: string;
  /** The generator's answer, written into .env and .env.example; undefined: left to its default. */
  value: string | undefined;
  /** The default when unset ("required" when there is none). */
  default: string;
  description: string;
  /** Required: the service refuses to start without it. */
  required: boolean;
  secret: boolean;
}

/** The generated service's health server port when HEALTH_PORT is unset (Dockerfile EXPOSE, README probes). */
export const DEFAULT_HEALTH_PORT = 8080;

/** Variables the service itself requires although the runtime has a fallback: a deployment must name its group. */
const SERVICE_REQUIRED = new Set(['KAFKA_BROKERS', 'KAFKA_TOPICS', 'KAFKA_GROUP_ID']);

/** DATABASE_URL in .env: the server `pnpm postgres` starts (127.0.0.1:5432, user and database postgres). */
export const LOCAL_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/** The answers, as the variables they set (only what differs from "leave it to the runtime"). */
export function answeredValues(answers: Answers): Record<string, string> {
  const { commit, ordering, fromBeginning } = answers;
  return {
    KAFKA_BROKERS: answers.brokers.join(','),
    KAFKA_CLIENT_ID: answers.name,
    KAFKA_GROUP_ID: answers.groupId,
    KAFKA_GROUP_TYPE: answers.groupType,
    KAFKA_TOPICS: answers.topics.join(','),
    ...(fromBeginning === undefined ? {} : { KAFKA_FROM_BEGINNING: String(fromBeginning) }),
    ...(commit === undefined ? {} : { KAFKA_COMMIT_STRATEGY: commit }),
    ...(commit === 'interval' ? { KAFKA_COMMIT_INTERVAL_MS: '5000' } : {}),
    ...(ordering === undefined ? {} : { KAFKA_ORDERING: ordering }),
    KAFKA_CONCURRENCY: String(answers.concurrency),
    KAFKA_MAX_RETRIES: String(answers.maxRetries),
    ...(answers.retryTopics === undefined || answers.retryTopics.length === 0
      ? {}
      : { KAFKA_RETRY_TOPICS: answers.retryTopics.join(',') }),
    ...(answers.dlqTopic === DLQ_PER_TOPIC ? {} : { KAFKA_DLQ_TOPIC: answers.dlqTopic ?? 'none' }),
    ...(answers.idempotency === 'postgres' ? { DATABASE_URL: LOCAL_DATABASE_URL } : {}),
  };
}

/** The inbox's variables (--idempotency postgres); not prefixed: they name the database, not Kafka. */
const DATABASE_ROWS = [
  {
    name: 'DATABASE_URL',
    description:
      'PostgreSQL of the inbox and the effects, postgres://user:password@host:5432/db; missing or unreachable fails at start',
    default: undefined,
    secret: true,
    required: true,
  },
  {
    name: 'DATABASE_POOL_MAX',
    description: 'Most connections in the pool: one per handler call in flight, one for the inbox retention',
    default: 'KAFKA_CONCURRENCY + 1',
    secret: false,
    required: false,
  },
  {
    name: 'INBOX_RETENTION_HOURS',
    description:
      'Inbox rows older than this are deleted; must exceed the longest redelivery (topic retention, offset resets)',
    default: '336',
    secret: false,
    required: false,
  },
];

/** Every variable the service reads, in display order, with `prefix` applied to the KAFKA_ ones. */
export function serviceVariables(answers: Answers, prefix = DEFAULT_ENV_PREFIX): ServiceVariable[] {
  const values = answeredValues(answers);
  // A share service does not list what its runtime refuses (commit strategy, ordering, from-beginning).
  // Nor retry tiers: the broker delivers a released record again itself.
  const refused = answers.groupType === 'share' ? [...Object.keys(NOT_FOR_SHARE), 'retry.topics'] : [];
  const rows = [
    ...ENV_VARIABLES.filter(
      (variable) =>
        !refused.includes(variable.option.split('.')[0] ?? '') && !refused.includes(variable.option),
    ).map((variable) => ({
      name: variable.name,
      description: variable.description,
      default: variable.default,
      secret: variable.secret,
      required: variable.required || SERVICE_REQUIRED.has(variable.name),
    })),
    ...(answers.idempotency === 'postgres' ? DATABASE_ROWS : []),
    {
      name: 'LOG_LEVEL',
      description:
        'debug, info, warn, error or silent; anything else fails at start (pino JSON lines on stderr)',
      default: 'info',
      secret: false,
      required: false,
    },
    {
      name: 'HEALTH_PORT',
      description: 'Port of the health server: GET /livez, /readyz, /metrics (0 picks a free one)',
      default: String(DEFAULT_HEALTH_PORT),
      secret: false,
      required: false,
    },
    {
      name: 'HEALTH_STUCK_AFTER_MS',
      description: 'Lag > 0 and no message finished for this long turns /livez 503 (ms)',
      default: String(DEFAULT_STUCK_AFTER_MS),
      secret: false,
      required: false,
    },
  ];
  return rows.map((row) => ({
    name: prefixedEnvName(row.name, prefix),
    value: values[row.name],
    default: row.required ? 'required' : (row.default ?? '(unset)'),
    description: row.description,
    required: row.required,
    secret: row.secret,
  }));
}
