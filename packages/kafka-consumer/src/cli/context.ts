import type { Kafka } from 'kafkajs';
import type { TopicRecord } from './dead-letter-record.js';
import { isDeadLetter } from './dead-letter-record.js';
import type { Admin } from './kafka.js';
import { UsageError } from './usage-error.js';

/** What every subcommand runs with. */
export interface CliContext {
  kafka: Kafka;
  admin: Admin;
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream & { isTTY?: boolean };
  /** Aborted by SIGINT/SIGTERM. */
  signal: AbortSignal;
}

/** A topic whose first record has no x-dlq-* header is not one of our DLQs: bad usage. */
export function assertDeadLetter(topic: string, record: TopicRecord): void {
  if (!isDeadLetter(record))
    throw new UsageError(
      `"${topic}" is not a kafkakit dead-letter topic: record ${record.partition}@${record.offset} carries no x-dlq-* headers`,
    );
}
