import { DLQ_HEADERS } from '../dead-letter/headers.js';
import { REDRIVE_HEADERS } from '../dead-letter/redrive-headers.js';
import type { MessageHeaders } from '../types.js';

/** One record as read from a topic. */
export interface TopicRecord {
  partition: number;
  offset: string;
  /** Record timestamp, ms since the epoch, as text. */
  timestamp: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: MessageHeaders;
}

/** What the x-dlq-* headers of a record say (undefined where a header is absent or unreadable). */
export interface DeadLetterFacts {
  sourceTopic: string | undefined;
  sourcePartition: number | undefined;
  sourceOffset: string | undefined;
  consumerGroup: string | undefined;
  errorName: string | undefined;
  errorCode: string | undefined;
  errorMessage: string | undefined;
  attempts: number | undefined;
  /** x-dlq-failed-at, else the DLQ record's own timestamp. */
  failedAt: Date;
  /** x-redrive-count: how often the message was redriven before (0 when never). */
  redriveCount: number;
}

const first = (value: MessageHeaders[string]): Buffer | string | undefined =>
  Array.isArray(value) ? value[0] : value;

/** A header's (first) value as UTF-8 text. */
export function headerText(headers: MessageHeaders, name: string): string | undefined {
  const value = first(headers[name]);
  return value === undefined ? undefined : value.toString();
}

const integer = (text: string | undefined): number | undefined =>
  text !== undefined && /^\d+$/.test(text) ? Number(text) : undefined;

/** True when the record carries any x-dlq-* header: written by the runtime's dead-letter path. */
export function isDeadLetter(record: TopicRecord): boolean {
  return Object.keys(record.headers).some((name) => name.startsWith('x-dlq-'));
}

export function deadLetterFacts(record: TopicRecord): DeadLetterFacts {
  const h = (name: string) => headerText(record.headers, name);
  const failed = Date.parse(h(DLQ_HEADERS.failedAt) ?? '');
  return {
    sourceTopic: h(DLQ_HEADERS.sourceTopic),
    sourcePartition: integer(h(DLQ_HEADERS.sourcePartition)),
    sourceOffset: h(DLQ_HEADERS.sourceOffset),
    consumerGroup: h(DLQ_HEADERS.consumerGroup),
    errorName: h(DLQ_HEADERS.errorName),
    errorCode: h(DLQ_HEADERS.errorCode),
    errorMessage: h(DLQ_HEADERS.errorMessage),
    attempts: integer(h(DLQ_HEADERS.attempts)),
    failedAt: new Date(Number.isNaN(failed) ? Number(record.timestamp) : failed),
    redriveCount: integer(h(REDRIVE_HEADERS.count)) ?? 0,
  };
}
