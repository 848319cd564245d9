import {
  brokerProblem,
  envPrefixProblem,
  groupIdProblem,
  parseTierDelays,
  tierDelayName,
  topicProblem,
} from '@kafkakit/kafka-consumer/naming';
import { z } from 'zod';
import { COMMIT_STRATEGIES, DLQ_PER_TOPIC, GROUP_TYPES, IDEMPOTENCY, ORDERINGS } from './choices.js';
import { parseYesNo } from './yes-no.js';

/** The parsers of the generator's answers, one per field (the field table in schema.ts names them). */
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

/** Splits "a, b,,c" into ["a","b","c"]. */
export function splitList(raw: string): string[] {
  return raw
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
}

export const listInput = z
  .union([z.string(), z.array(z.string())])
  .transform((raw) => (typeof raw === 'string' ? splitList(raw) : raw.map((part) => part.trim())));

export const nameSchema = z
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

export const topicsSchema = listInput.superRefine((topics, ctx) => {
  if (topics.length === 0) ctx.addIssue({ code: 'custom', message: 'at least one topic is required' });
  for (const topic of topics) {
    const problem = topicProblem(topic);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }
  const dupes = topics.filter((topic, index) => topics.indexOf(topic) !== index);
  if (dupes.length > 0)
    ctx.addIssue({ code: 'custom', message: `topic ${JSON.stringify(dupes[0])} is listed twice` });
});

export const groupIdSchema = z
  .string()
  .trim()
  .superRefine((groupId, ctx) => {
    const problem = groupIdProblem(groupId);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

export const brokersSchema = listInput.superRefine((brokers, ctx) => {
  if (brokers.length === 0)
    ctx.addIssue({ code: 'custom', message: 'at least one broker (host:port) is required' });
  for (const broker of brokers) {
    const problem = brokerProblem(broker);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }
});

export const groupTypeSchema = z.enum(GROUP_TYPES, {
  error: () => `the group type must be one of ${GROUP_TYPES.join(', ')}`,
});

export const commitSchema = z.enum(COMMIT_STRATEGIES, {
  error: () => `the commit strategy must be one of ${COMMIT_STRATEGIES.join(', ')}`,
});

/** The one parser of whole numbers (flags and prompts give text, callers may give numbers). */
export const wholeNumber = (label: string, min: number, max: number) =>
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

export const maxRetriesSchema = wholeNumber('max retries', 0, 1000);

/** Retry-tier delays, e.g. `10s,5m` (`none` or empty: no tiers), normalised to their topic names' form. */
export const retryTopicsSchema = z
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
export const dlqSchema = z.union([z.null(), z.string()]).transform((input, ctx) => {
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

export const orderingSchema = z.enum(ORDERINGS, {
  error: () => `the ordering must be one of ${ORDERINGS.join(', ')}`,
});

export const idempotencySchema = z.enum(IDEMPOTENCY, {
  error: () => `the idempotency must be one of ${IDEMPOTENCY.join(', ')}`,
});

export const concurrencySchema = wholeNumber('concurrency', 1, 10_000);

export const envPrefixSchema = z
  .string()
  .trim()
  .superRefine((prefix, ctx) => {
    const problem = envPrefixProblem(prefix);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

export const booleanInput = z.union([z.boolean(), z.string()]).transform((raw, ctx) => {
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

export const dirSchema = z
  .string()
  .min(1, 'the target folder cannot be empty')
  .superRefine((dir, ctx) => {
    const problem = dirProblem(dir);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .transform((dir) => dir.replace(/^\.\//, '').replace(/\/$/, ''));
