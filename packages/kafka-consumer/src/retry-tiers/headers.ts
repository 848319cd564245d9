import { DLQ_MESSAGE_LIMIT, errorCode, truncate } from '../dead-letter/headers.js';
import type { ConsumedMessage, MessageHeaders } from '../types.js';

/** Headers the runtime adds to a record it writes to a retry tier (the original headers are kept). */
export const TIER_HEADERS = {
  /** Where the message was first consumed: its source topic, partition, offset, timestamp and key. */
  originTopic: 'x-retry-origin-topic',
  originPartition: 'x-retry-origin-partition',
  originOffset: 'x-retry-origin-offset',
  originTimestamp: 'x-retry-origin-timestamp',
  /** The source record's key bytes (absent for a null key; the tier record carries the same key). */
  originKey: 'x-retry-origin-key',
  consumerGroup: 'x-retry-consumer-group',
  /** Handler calls made so far (in-place retries and earlier tiers included). */
  attempts: 'x-retry-attempts',
  /** 1-based number of the tier this record is in. */
  tier: 'x-retry-tier',
  /** The tiers gone through, this one included: their delay names, e.g. `10s,5m`. */
  tiers: 'x-retry-tiers',
  /** ISO-8601 time from which the record is handled again. */
  dueAt: 'x-retry-due-at',
  errorName: 'x-retry-error-name',
  /** The last error's `code`, when it has one. */
  errorCode: 'x-retry-error-code',
  errorMessage: 'x-retry-error-message',
} as const;

const TIER_HEADER_NAMES: readonly string[] = Object.values(TIER_HEADERS);

/** Where a message came from before any tier. */
export interface TierOrigin {
  topic: string;
  partition: number;
  offset: string;
  timestamp: string;
}

export interface TierFacts {
  origin: TierOrigin;
  groupId: string;
  attempts: number;
  /** 1-based number of the tier written to. */
  tier: number;
  /** Delay names of the tiers gone through, this one included. */
  tiers: string;
  dueAt: Date;
  error: Error;
}

/** The original headers (without earlier x-retry-* ones) plus this tier's. Pure. */
export function buildTierHeaders(
  original: MessageHeaders | undefined,
  key: Buffer | null,
  facts: TierFacts,
): MessageHeaders {
  const headers = withoutTierHeaders(original);
  headers[TIER_HEADERS.originTopic] = facts.origin.topic;
  headers[TIER_HEADERS.originPartition] = String(facts.origin.partition);
  headers[TIER_HEADERS.originOffset] = facts.origin.offset;
  headers[TIER_HEADERS.originTimestamp] = facts.origin.timestamp;
  if (key !== null) headers[TIER_HEADERS.originKey] = key;
  headers[TIER_HEADERS.consumerGroup] = facts.groupId;
  headers[TIER_HEADERS.attempts] = String(facts.attempts);
  headers[TIER_HEADERS.tier] = String(facts.tier);
  headers[TIER_HEADERS.tiers] = facts.tiers;
  headers[TIER_HEADERS.dueAt] = facts.dueAt.toISOString();
  headers[TIER_HEADERS.errorName] = facts.error.name;
  const code = errorCode(facts.error);
  if (code !== undefined) headers[TIER_HEADERS.errorCode] = code;
  headers[TIER_HEADERS.errorMessage] = truncate(facts.error.message, DLQ_MESSAGE_LIMIT);
  return headers;
}

/** A copy of `headers` without any x-retry-* header: the record's headers as its source topic had them. */
export function withoutTierHeaders(headers: MessageHeaders | undefined): MessageHeaders {
  const out: MessageHeaders = {};
  if (headers === undefined) return out;
  for (const name of Object.keys(headers)) if (!TIER_HEADER_NAMES.includes(name)) out[name] = headers[name];
  return out;
}

const text = (headers: MessageHeaders | undefined, name: string): string | undefined => {
  const value = headers?.[name];
  const one = Array.isArray(value) ? value[value.length - 1] : value;
  return one === undefined ? undefined : one.toString();
};

/** What a tier record's headers say; undefined when it lacks them (not written by the runtime). */
export interface TierRecord {
  origin: TierOrigin;
  attempts: number;
  tier: number;
  tiers: string;
  /** Epoch ms. */
  dueAt: number;
}

/** Reads a tier record's headers. Undefined when any required header is missing or malformed. */
export function readTierHeaders(message: ConsumedMessage): TierRecord | undefined {
  const h = message.headers;
  const topic = text(h, TIER_HEADERS.originTopic);
  const partition = Number(text(h, TIER_HEADERS.originPartition));
  const offset = text(h, TIER_HEADERS.originOffset);
  const attempts = Number(text(h, TIER_HEADERS.attempts));
  const tier = Number(text(h, TIER_HEADERS.tier));
  const dueAt = Date.parse(text(h, TIER_HEADERS.dueAt) ?? '');
  if (
    topic === undefined ||
    offset === undefined ||
    !Number.isInteger(partition) ||
    !Number.isInteger(attempts) ||
    !Number.isInteger(tier) ||
    Number.isNaN(dueAt)
  )
    return undefined;
  return {
    origin: {
      topic,
      partition,
      offset,
      timestamp: text(h, TIER_HEADERS.originTimestamp) ?? message.timestamp,
    },
    attempts,
    tier,
    tiers: text(h, TIER_HEADERS.tiers) ?? '',
    dueAt,
  };
}
