import type { MessageHeaders } from '../types.js';

/** Headers the runtime adds to every dead-lettered record (the original headers are kept as they were). */
export const DLQ_HEADERS = {
  sourceTopic: 'x-dlq-source-topic',
  sourcePartition: 'x-dlq-source-partition',
  sourceOffset: 'x-dlq-source-offset',
  sourceTimestamp: 'x-dlq-source-timestamp',
  consumerGroup: 'x-dlq-consumer-group',
  errorName: 'x-dlq-error-name',
  /** The error's `code` (a string or number), when it has one; absent otherwise. */
  errorCode: 'x-dlq-error-code',
  errorMessage: 'x-dlq-error-message',
  errorStack: 'x-dlq-error-stack',
  attempts: 'x-dlq-attempts',
  failedAt: 'x-dlq-failed-at',
  /** Deterministic: `<group>/<source topic>/<partition>/<offset>`; a repeat after a crash carries the same id. */
  id: 'x-dlq-id',
  /** The retry tiers the message went through before it was dead-lettered, e.g. `10s,5m`; absent without tiers. */
  retryTiers: 'x-dlq-retry-tiers',
} as const;

/** Longest error stack kept in a header (characters). */
export const DLQ_STACK_LIMIT = 2000;
/** Longest error message kept in a header (characters). */
export const DLQ_MESSAGE_LIMIT = 1000;

export interface DeadLetterFacts {
  topic: string;
  partition: number;
  offset: string;
  timestamp: string;
  groupId: string;
  error: Error;
  attempts: number;
  failedAt: Date;
  /** The retry tiers it went through (their delay names, comma-separated), when it came from one. */
  retryTiers?: string;
}

/** `text` cut to `limit` characters (with "..."); shared with the retry-tier headers. */
export const truncate = (text: string, limit: number) =>
  text.length > limit ? `${text.slice(0, limit - 3)}...` : text;

/** The original headers plus the DLQ headers (which replace same-named originals). Pure. */
export function buildDeadLetterHeaders(
  original: MessageHeaders | undefined,
  facts: DeadLetterFacts,
): MessageHeaders {
  const headers: MessageHeaders = { ...original };
  headers[DLQ_HEADERS.sourceTopic] = facts.topic;
  headers[DLQ_HEADERS.sourcePartition] = String(facts.partition);
  headers[DLQ_HEADERS.sourceOffset] = facts.offset;
  headers[DLQ_HEADERS.sourceTimestamp] = facts.timestamp;
  headers[DLQ_HEADERS.consumerGroup] = facts.groupId;
  headers[DLQ_HEADERS.errorName] = facts.error.name;
  const code = errorCode(facts.error);
  if (code !== undefined) headers[DLQ_HEADERS.errorCode] = code;
  else delete headers[DLQ_HEADERS.errorCode];
  headers[DLQ_HEADERS.errorMessage] = truncate(facts.error.message, DLQ_MESSAGE_LIMIT);
  headers[DLQ_HEADERS.errorStack] = truncate(facts.error.stack ?? '', DLQ_STACK_LIMIT);
  headers[DLQ_HEADERS.attempts] = String(facts.attempts);
  headers[DLQ_HEADERS.failedAt] = facts.failedAt.toISOString();
  headers[DLQ_HEADERS.id] = deadLetterId(facts);
  if (facts.retryTiers !== undefined) headers[DLQ_HEADERS.retryTiers] = facts.retryTiers;
  else delete headers[DLQ_HEADERS.retryTiers];
  return headers;
}

/** `error.code` as text when it is a string or a number (KafkaConsumerError, Node system errors). */
export function errorCode(error: Error): string | undefined {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' || typeof code === 'number' ? String(code) : undefined;
}

/** The record id a dead-letter write carries: the same for every write of one source message. */
export function deadLetterId(
  facts: Pick<DeadLetterFacts, 'groupId' | 'topic' | 'partition' | 'offset'>,
): string {
  return `${facts.groupId}/${facts.topic}/${facts.partition}/${facts.offset}`;
}

/** The dead-letter topic for a source topic: the configured one, or `${source}.dlq`. */
export function deadLetterTopicFor(source: string, configured: string | undefined): string {
  return configured ?? `${source}.dlq`;
}
