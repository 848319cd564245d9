import { DEFAULTS, NOT_FOR_SHARE } from '@kafkakit/kafka-consumer';
import {
  DEFAULT_ENV_PREFIX,
  deadLetterTopicName,
  parseTierDelays,
  retryTierTopicName,
  topicProblem,
} from '@kafkakit/kafka-consumer/naming';
import type { z } from 'zod';
import {
  COMMIT_STRATEGIES,
  COMMIT_TRADE_OFFS,
  type CommitStrategy,
  DLQ_PER_TOPIC,
  GROUP_TYPE_TRADE_OFFS,
  GROUP_TYPES,
  type GroupType,
  IDEMPOTENCY,
  IDEMPOTENCY_TRADE_OFFS,
  type Idempotency,
  ORDERING_TRADE_OFFS,
  ORDERINGS,
  type Ordering,
} from './choices.js';
import {
  booleanInput,
  brokersSchema,
  commitSchema,
  concurrencySchema,
  dirSchema,
  dlqSchema,
  envPrefixSchema,
  groupIdSchema,
  groupTypeSchema,
  idempotencySchema,
  maxRetriesSchema,
  nameSchema,
  orderingSchema,
  PARALLEL_CONCURRENCY,
  retryTopicsSchema,
  topicsSchema,
} from './field-values.js';

/**
 * The ONE option schema of the generator. Prompts (src/prompts.ts), command-line flags (src/flags.ts)
 * and final validation all read the field table below, so a value gets the same message whichever
 * way it arrives, and an invalid value stops the run before anything is written.
 */

/** Answers as collected (strings from prompts or flags, or already-typed values). */
export type RawAnswers = Partial<Record<FieldKey, unknown>>;

interface Field {
  flag: string;
  /** One-line description for --help and the prompt. */
  message: string;
  schema: z.ZodType;
  /** Required fields have no default: a missing value fails in non-interactive mode. */
  default?: (answers: Answers) => unknown;
  kind: 'input' | 'list' | 'confirm';
  /** Asked by the interactive prompt (dir is a flag only). */
  prompt: boolean;
  /** Shown in --help. */
  hint?: string;
  /** For `list` fields: each value with the line that explains it. */
  choices?: Readonly<Record<string, string>>;
  /**
   * Why the field means nothing for a share group: then it is not asked, stays unset, and a value
   * given with --group-type share is refused with this reason.
   */
  notForShare?: string;
}

/** Parsed, validated generator options. */
export interface Answers {
  name: string;
  topics: string[];
  groupId: string;
  brokers: string[];
  groupType: GroupType;
  /** Unset for a share group (it commits no offsets). */
  commit: CommitStrategy | undefined;
  /** Unset for a share group (it has no order). */
  ordering: Ordering | undefined;
  concurrency: number;
  maxRetries: number;
  /**
   * Retry-tier delays as topic names show them (e.g. ['10s', '5m']); [] = none. Unset for a share
   * group (the broker redelivers a released record itself).
   */
  retryTopics: string[] | undefined;
  /** A topic, DLQ_PER_TOPIC (the runtime's `<topic>.dlq` per source topic) or null (no DLQ). */
  dlqTopic: string | null;
  /** Unset for a share group (the group's share.auto.offset.reset decides). */
  fromBeginning: boolean | undefined;
  /** postgres: the handler runs inside a PostgreSQL inbox transaction (DATABASE_URL, migration, effects table); unset for a share group. */
  idempotency: Idempotency | undefined;
  install: boolean;
  dir: string;
  /** Prefix of the consumer's environment variables (the add generator; a service uses KAFKA_). */
  envPrefix: string;
}

export type FieldKey = keyof Answers;

export const FIELDS: Record<FieldKey, Field> = {
  envPrefix: {
    flag: 'env-prefix',
    message: "Prefix of the consumer's environment variables",
    schema: envPrefixSchema,
    default: () => DEFAULT_ENV_PREFIX,
    kind: 'input',
    prompt: false,
    hint: `default: ${DEFAULT_ENV_PREFIX} (e.g. BILLING_KAFKA_ gives BILLING_KAFKA_BROKERS)`,
  },
  name: {
    flag: 'name',
    message: 'Service name (kebab-case)',
    schema: nameSchema,
    kind: 'input',
    prompt: true,
    hint: 'e.g. orders',
  },
  topics: {
    flag: 'topics',
    message: 'Topics to consume (comma-separated)',
    schema: topicsSchema,
    kind: 'input',
    prompt: true,
    hint: 'e.g. orders.placed,orders.cancelled',
  },
  groupType: {
    flag: 'group-type',
    message: 'Consumer group or share group?',
    schema: groupTypeSchema,
    default: () => 'consumer',
    kind: 'list',
    choices: GROUP_TYPE_TRADE_OFFS,
    prompt: true,
    hint: `${GROUP_TYPES.join(' | ')}, default: consumer; share leaves out --commit, --ordering and --from-beginning`,
  },
  groupId: {
    flag: 'group-id',
    message: 'Group id',
    schema: groupIdSchema,
    default: (a) => a.name,
    kind: 'input',
    prompt: true,
    hint: 'default: the name',
  },
  brokers: {
    flag: 'brokers',
    message: 'Brokers (comma-separated host:port)',
    schema: brokersSchema,
    default: () => 'localhost:9092',
    kind: 'input',
    prompt: true,
    hint: 'default: localhost:9092',
  },
  commit: {
    flag: 'commit',
    message: 'Commit strategy',
    schema: commitSchema,
    default: () => DEFAULTS.commit,
    kind: 'list',
    choices: COMMIT_TRADE_OFFS,
    prompt: true,
    notForShare: NOT_FOR_SHARE.commit,
    hint: `${COMMIT_STRATEGIES.join(' | ')}, default: ${DEFAULTS.commit} (the runtime's)`,
  },
  ordering: {
    flag: 'ordering',
    message: 'Ordering',
    schema: orderingSchema,
    default: () => 'partition',
    kind: 'list',
    choices: ORDERING_TRADE_OFFS,
    prompt: true,
    notForShare: NOT_FOR_SHARE.ordering,
    hint: `${ORDERINGS.join(' | ')}, default: partition`,
  },
  concurrency: {
    flag: 'concurrency',
    message: 'Most handler calls in flight at once (integer >= 1)',
    schema: concurrencySchema,
    default: (a) => (a.ordering === 'partition' ? DEFAULTS.concurrency : PARALLEL_CONCURRENCY),
    kind: 'input',
    prompt: true,
    hint: `default: ${DEFAULTS.concurrency} with partition ordering (one message per partition at a time), ${PARALLEL_CONCURRENCY} with key, unordered or a share group`,
  },
  maxRetries: {
    flag: 'max-retries',
    message: 'Retries before a message is dead-lettered (integer >= 0)',
    schema: maxRetriesSchema,
    default: () => 3,
    kind: 'input',
    prompt: true,
    hint: 'default: 3',
  },
  retryTopics: {
    flag: 'retry-topics',
    message:
      'Retry tiers: delays a failing message waits out in its own topic without holding its partition (comma-separated, e.g. 10s,5m; "none")',
    schema: retryTopicsSchema,
    default: () => 'none',
    kind: 'input',
    prompt: true,
    notForShare: 'a share group has no retry tiers: the broker delivers a released record again itself',
    hint: 'default: none; e.g. 10s,5m (topics <topic>.<group>.retry.<delay>, then the DLQ)',
  },
  dlqTopic: {
    flag: 'dlq-topic',
    message: 'Dead-letter topic ("none" to disable)',
    schema: dlqSchema,
    default: () => DLQ_PER_TOPIC,
    kind: 'input',
    prompt: true,
    hint: `default: ${DLQ_PER_TOPIC} (one per source topic, the runtime's default); "none" disables`,
  },
  fromBeginning: {
    flag: 'from-beginning',
    message: 'Start from the earliest offset when the group has no committed offset?',
    schema: booleanInput,
    default: () => false,
    kind: 'confirm',
    prompt: true,
    hint: 'default: no',
    notForShare: NOT_FOR_SHARE.fromBeginning,
  },
  idempotency: {
    flag: 'idempotency',
    message: 'Deduplicate with a PostgreSQL inbox?',
    schema: idempotencySchema,
    default: () => 'none',
    kind: 'list',
    choices: IDEMPOTENCY_TRADE_OFFS,
    prompt: true,
    hint: `${IDEMPOTENCY.join(' | ')}, default: none; postgres adds DATABASE_URL, a migration and an effects table`,
    notForShare:
      'the generated inbox tests and crash test prove it on a consumer group (offset reset, commits); in a share service wrap the handler with createPostgresInbox from @kafkakit/kafka-consumer/postgres yourself',
  },
  install: {
    flag: 'install',
    message: 'Install it and verify it now (pnpm install, typecheck, tests)?',
    schema: booleanInput,
    default: () => true,
    kind: 'confirm',
    prompt: true,
    hint: "default: yes; the add generator runs the service's own typecheck script, not its tests",
  },
  dir: {
    flag: 'dir',
    message: 'Target folder, relative to the workspace root',
    schema: dirSchema,
    default: (a) => `services/${a.name}`,
    kind: 'input',
    prompt: false,
    hint: 'default: services/<name>',
  },
};

/** Order in which fields are asked and defaulted (later defaults read earlier answers). */
export const FIELD_ORDER: FieldKey[] = [
  'name',
  'topics',
  'groupType',
  'groupId',
  'brokers',
  'commit',
  'ordering',
  'concurrency',
  'maxRetries',
  'retryTopics',
  'dlqTopic',
  'fromBeginning',
  'idempotency',
  'install',
  'dir',
  'envPrefix',
];

export type FieldResult<K extends FieldKey> =
  | { ok: true; value: Answers[K] }
  | { ok: false; message: string };

/** Whether a field is asked and set given the answers before it (a share group leaves some out). */
export function fieldApplies(key: FieldKey, answers: Partial<Answers>): boolean {
  return !(answers.groupType === 'share' && FIELDS[key].notForShare !== undefined);
}

/** The refusal of a value given for a field that does not apply (with --group-type share). */
function notApplicable(key: FieldKey): OptionsError {
  return new OptionsError(
    key,
    `not for a share group (--group-type share): ${FIELDS[key].notForShare ?? ''}; leave out --${FIELDS[key].flag}`,
  );
}

/** Validates one field; `answers` are the fields before it (for cross-field rules). Same message for prompts and flags. */
export function checkField<K extends FieldKey>(
  key: K,
  raw: unknown,
  answers: Partial<Answers> = {},
): FieldResult<K> {
  const result = FIELDS[key].schema.safeParse(raw);
  if (!result.success) {
    return { ok: false, message: result.error.issues.map((issue) => issue.message).join('; ') };
  }
  const value = result.data as Answers[K];
  const problem =
    key === 'dlqTopic'
      ? deadLetterProblem(value as string | null, answers.topics ?? [])
      : key === 'retryTopics'
        ? retryTopicsProblem(value as string[], answers)
        : undefined;
  return problem ? { ok: false, message: problem } : { ok: true, value };
}

/** Every tier topic (`<topic>.<group>.retry.<delay>`) must be a valid topic name. */
function retryTopicsProblem(delays: readonly string[], answers: Partial<Answers>): string | undefined {
  const ms = parseTierDelays(delays.join(',')) as number[];
  for (const topic of answers.topics ?? [])
    for (const delay of ms) {
      const tier = retryTierTopicName(topic, answers.groupId ?? '', delay);
      if (topicProblem(tier))
        return `the retry tier topic of ${JSON.stringify(topic.slice(0, 20))}... would be ${tier.length} characters (at most 249); use a shorter topic or group id`;
    }
  return undefined;
}

/** A dead-letter topic may not be a source topic; the per-topic default must be derivable for each. */
function deadLetterProblem(dlq: string | null, topics: readonly string[]): string | undefined {
  if (dlq === null) return undefined;
  if (dlq !== DLQ_PER_TOPIC) {
    return topics.includes(dlq)
      ? `the dead-letter topic ${JSON.stringify(dlq)} cannot be one of the source topics`
      : undefined;
  }
  for (const topic of topics) {
    const derived = deadLetterTopicName(topic);
    if (topics.includes(derived)) {
      return `the default dead-letter topic of ${JSON.stringify(topic)} is ${JSON.stringify(derived)}, also a source topic; name one with --dlq-topic`;
    }
    if (topicProblem(derived)) {
      return `topic ${JSON.stringify(topic.slice(0, 20))}... is too long for its default dead-letter topic (${derived.length} characters); name one with --dlq-topic`;
    }
  }
  return undefined;
}

export class OptionsError extends Error {
  constructor(
    readonly field: FieldKey,
    readonly problem: string,
  ) {
    super(`Invalid --${FIELDS[field].flag}: ${problem}`);
    this.name = 'OptionsError';
  }
}

export class MissingOptionError extends Error {
  constructor(readonly field: FieldKey) {
    super(
      `Missing --${FIELDS[field].flag} (${FIELDS[field].message}). ` +
        'Not prompting: no interactive terminal (or CI=true). Pass it as a flag.',
    );
    this.name = 'MissingOptionError';
  }
}

/**
 * Validates raw answers in field order, filling defaults for absent fields when `useDefaults` is
 * true. Throws OptionsError / MissingOptionError; returns complete Answers otherwise.
 */
export function resolveAnswers(raw: RawAnswers, { useDefaults }: { useDefaults: boolean }): Answers {
  const answers: Partial<Answers> = {};
  for (const key of FIELD_ORDER) {
    let value = raw[key];
    if (!fieldApplies(key, answers)) {
      if (value !== undefined) throw notApplicable(key);
      continue;
    }
    if (value === undefined) {
      const field = FIELDS[key];
      if (!useDefaults || !field.default) throw new MissingOptionError(key);
      value = field.default(answers as Answers);
    }
    const result = checkField(key, value, answers);
    if (!result.ok) throw new OptionsError(key, result.message);
    (answers as Record<string, unknown>)[key] = result.value;
  }
  return answers as Answers;
}

/** Validates only the values given (flags), before any prompt, so a bad flag fails before questions are asked. */
export function validateGiven(raw: RawAnswers): void {
  const parsed: Partial<Answers> = {};
  for (const key of FIELD_ORDER) {
    if (raw[key] === undefined) continue;
    if (!fieldApplies(key, parsed)) throw notApplicable(key);
    const result = checkField(key, raw[key], parsed);
    if (!result.ok) throw new OptionsError(key, result.message);
    (parsed as Record<string, unknown>)[key] = result.value;
  }
}
