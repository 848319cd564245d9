import { DEFAULTS, NOT_FOR_SHARE } from '@kafkakit/kafka-consumer';
import {
  brokerProblem,
  DEFAULT_ENV_PREFIX,
  deadLetterTopicName,
  envPrefixProblem,
  groupIdProblem,
  parseTierDelays,
  retryTierTopicName,
  tierDelayName,
  topicProblem,
} from '@kafkakit/kafka-consumer/naming';
import { z } from 'zod';
import { parseYesNo } from './yes-no.js';

/**
 * The ONE option schema of the generator. Prompts (src/prompts.ts), command-line flags (src/flags.ts)
 * and final validation all read the field table below, so a value gets the same message whichever
 * way it arrives, and an invalid value stops the run before anything is written.
 */

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

const KEBAB = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
/**
 * The one set of names neither a service nor a folder segment may take: Windows device names (a
 * folder called like this cannot be created or checked out there) and npm's and git's own.
 */
const RESERVED_NAMES = new Set([
  'con',
  'prn',
  'aux',
  'nul',
  ...Array.from({ length: 9 }, (_, i) => `com${i + 1}`),
  ...Array.from({ length: 9 }, (_, i) => `lpt${i + 1}`),
  'node_modules',
  'node-modules',
  '.git',
  'favicon',
  'favicon.ico',
]);

/** A name (or folder segment, compared without case and without its extension) that is reserved. */
function isReserved(name: string): boolean {
  const lower = name.toLowerCase();
  return RESERVED_NAMES.has(lower) || RESERVED_NAMES.has(lower.split('.')[0] ?? '');
}

/** Concurrency when none is given: 1 keeps `partition` ordering strict; key/unordered need room to overlap. */
export const PARALLEL_CONCURRENCY = 16;

export { brokerProblem, topicProblem };

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

/** Splits "a, b,,c" into ["a","b","c"]. */
export function splitList(raw: string): string[] {
  return raw
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
}

const listInput = z
  .union([z.string(), z.array(z.string())])
  .transform((raw) => (typeof raw === 'string' ? splitList(raw) : raw.map((part) => part.trim())));

const nameSchema = z
  .string()
  .trim()
  .min(1, 'a service name is required')
  .max(50, 'the name must be at most 50 characters')
  .regex(
    KEBAB,
    'the name must be kebab-case: lowercase letters and digits in dash-separated words, e.g. "orders"',
  )
  .refine((name) => !isReserved(name), {
    error: (issue) =>
      `the name ${JSON.stringify(issue.input)} is reserved (a device or tool name); choose another`,
  });

const topicsSchema = listInput.superRefine((topics, ctx) => {
  if (topics.length === 0) ctx.addIssue({ code: 'custom', message: 'at least one topic is required' });
  for (const topic of topics) {
    const problem = topicProblem(topic);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }
  const dupes = topics.filter((topic, index) => topics.indexOf(topic) !== index);
  if (dupes.length > 0)
    ctx.addIssue({ code: 'custom', message: `topic ${JSON.stringify(dupes[0])} is listed twice` });
});

const groupIdSchema = z
  .string()
  .trim()
  .superRefine((groupId, ctx) => {
    const problem = groupIdProblem(groupId);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

const brokersSchema = listInput.superRefine((brokers, ctx) => {
  if (brokers.length === 0)
    ctx.addIssue({ code: 'custom', message: 'at least one broker (host:port) is required' });
  for (const broker of brokers) {
    const problem = brokerProblem(broker);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }
});

const groupTypeSchema = z.enum(GROUP_TYPES, {
  error: () => `the group type must be one of ${GROUP_TYPES.join(', ')}`,
});

const commitSchema = z.enum(COMMIT_STRATEGIES, {
  error: () => `the commit strategy must be one of ${COMMIT_STRATEGIES.join(', ')}`,
});

/** The one parser of whole numbers (flags and prompts give text, callers may give numbers). */
const wholeNumber = (label: string, min: number, max: number) =>
  z.union([z.number(), z.string()]).transform((raw, ctx) => {
    const text = String(raw).trim();
    const value = Number(text);
    if (!/^\d+$/.test(text) || value < min) {
      ctx.addIssue({
        code: 'custom',
        message: `${label} must be a whole number >= ${min}, got ${JSON.stringify(text)}`,
      });
      return z.NEVER;
    }
    if (value > max) {
      ctx.addIssue({ code: 'custom', message: `${label} must be at most ${max}` });
      return z.NEVER;
    }
    return value;
  });

const maxRetriesSchema = wholeNumber('max retries', 0, 1000);

/** Retry-tier delays, e.g. `10s,5m` (`none` or empty: no tiers), normalised to their topic names' form. */
const retryTopicsSchema = z
  .union([z.string(), z.array(z.string())], {
    error: () => 'retry topics must be delays such as 10s,5m, or none',
  })
  .transform((raw, ctx) => {
    const delays = parseTierDelays(typeof raw === 'string' ? raw : raw.join(','));
    if (typeof delays === 'string') {
      ctx.addIssue({ code: 'custom', message: delays });
      return z.NEVER;
    }
    return delays.map(tierDelayName);
  });

/** `none` disables the dead-letter queue; empty or `<topic>.dlq` keeps the runtime's per-topic default. */
const dlqSchema = z.union([z.null(), z.string()]).transform((input, ctx) => {
  if (input === null) return null;
  const raw = input.trim();
  if (raw === '' || raw === DLQ_PER_TOPIC) return DLQ_PER_TOPIC;
  if (raw.toLowerCase() === 'none') return null;
  const problem = topicProblem(raw);
  if (problem) {
    ctx.addIssue({ code: 'custom', message: `dead-letter ${problem}` });
    return z.NEVER;
  }
  return raw;
});

const orderingSchema = z.enum(ORDERINGS, {
  error: () => `the ordering must be one of ${ORDERINGS.join(', ')}`,
});

const idempotencySchema = z.enum(IDEMPOTENCY, {
  error: () => `the idempotency must be one of ${IDEMPOTENCY.join(', ')}`,
});

const concurrencySchema = wholeNumber('concurrency', 1, 10_000);

const envPrefixSchema = z
  .string()
  .trim()
  .superRefine((prefix, ctx) => {
    const problem = envPrefixProblem(prefix);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

const booleanInput = z.union([z.boolean(), z.string()]).transform((raw, ctx) => {
  const value = typeof raw === 'boolean' ? raw : parseYesNo(raw);
  if (value !== undefined) return value;
  ctx.addIssue({ code: 'custom', message: `expected yes or no, got ${JSON.stringify(raw)}` });
  return z.NEVER;
});

/** What is wrong with a target folder (relative to the workspace root), or undefined. */
export function dirProblem(dir: string): string | undefined {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(dir)) return 'the target folder may not contain control characters';
  if (dir.startsWith('/') || dir.startsWith('\\') || /^[a-zA-Z]:/.test(dir) || dir.startsWith('~')) {
    return `the target folder must be relative to the workspace root, got ${JSON.stringify(dir)}`;
  }
  if (dir.includes('\\')) return 'the target folder uses "/" as separator, not "\\"';
  if (dir.length > 200) return 'the target folder must be at most 200 characters';
  const segments = dir.replace(/^\.\//, '').replace(/\/$/, '').split('/');
  for (const segment of segments) {
    if (segment === '..') return 'the target folder may not contain ".." (it must stay inside the workspace)';
    if (segment === '' || segment === '.')
      return `the target folder ${JSON.stringify(dir)} has an empty segment`;
    if (isReserved(segment)) {
      return `the target folder may not use the reserved name ${JSON.stringify(segment)}`;
    }
    if (!/^[a-zA-Z0-9_][a-zA-Z0-9._-]*$/.test(segment)) {
      return `the target folder segment ${JSON.stringify(segment)} may only contain letters, digits, ".", "_" and "-" (not starting with "." or "-")`;
    }
  }
  return undefined;
}

const dirSchema = z
  .string()
  .min(1, 'the target folder cannot be empty')
  .superRefine((dir, ctx) => {
    const problem = dirProblem(dir);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .transform((dir) => dir.replace(/^\.\//, '').replace(/\/$/, ''));

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
