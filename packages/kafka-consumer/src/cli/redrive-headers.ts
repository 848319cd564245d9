import { REDRIVE_HEADERS, redriveOrigin } from '../dead-letter/redrive-headers.js';
import type { MessageHeaders } from '../types.js';
import type { TopicRecord } from './dead-letter-record.js';

/**
 * The headers of a redriven record: the message's original headers (the DLQ record's minus the
 * x-dlq-* ones the runtime added, which a new failure writes afresh) plus the redrive count, time
 * and origin. Pure.
 */
export function redriveHeaders(
  dlqTopic: string,
  record: TopicRecord,
  previousCount: number,
  at: Date,
): MessageHeaders {
  const headers: MessageHeaders = {};
  for (const [name, value] of Object.entries(record.headers)) {
    if (!name.startsWith('x-dlq-') && !Object.values(REDRIVE_HEADERS).includes(name as never))
      headers[name] = value;
  }
  headers[REDRIVE_HEADERS.count] = String(previousCount + 1);
  headers[REDRIVE_HEADERS.at] = at.toISOString();
  headers[REDRIVE_HEADERS.origin] = redriveOrigin(dlqTopic, record.partition, record.offset);
  return headers;
}

/** `<dlq>/<partition>/<offset>` -> its parts (topic names cannot contain "/"). */
export function parseOrigin(
  origin: string,
): { topic: string; partition: number; offset: string } | undefined {
  const match = /^([^/]+)\/(\d+)\/(\d+)$/.exec(origin);
  if (match === null) return undefined;
  return { topic: match[1] as string, partition: Number(match[2]), offset: match[3] as string };
}
