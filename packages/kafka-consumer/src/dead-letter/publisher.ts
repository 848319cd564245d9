import type { DeadLetterProducer, OutgoingRecord } from '../client/port.js';
import { DeadLetterError, toError } from '../errors.js';
import type { Logger } from '../logger.js';
import { sleepWithTicks } from '../processing/retry.js';
import type { ConsumedMessage } from '../types.js';
import { buildDeadLetterHeaders, deadLetterTopicFor } from './headers.js';

export interface DeadLetterRequest {
  topic: string;
  partition: number;
  message: ConsumedMessage;
  error: Error;
  attempts: number;
  /** The retry tiers it went through (delay names), when it comes from the last one. */
  retryTiers?: string;
}

const noTick = () => Promise.resolve();

/**
 * Writes failed messages to the dead-letter topic, keeping the original key, value and headers.
 * Fail closed: the write is tried `writeAttempts` times (with backoff, interruptible by `signal`);
 * if it still fails a DeadLetterError is thrown and the caller must not commit the source offset.
 */
export class DeadLetterPublisher {
  constructor(
    private readonly producer: DeadLetterProducer,
    private readonly config: { topic: string | undefined; writeAttempts: number; groupId: string },
    private readonly logger: Logger,
  ) {}

  topicFor(source: string): string {
    return deadLetterTopicFor(source, this.config.topic);
  }

  /** Resolves with the DLQ topic once the record is durably written. */
  async publish(request: DeadLetterRequest, signal: AbortSignal): Promise<string> {
    const target = this.topicFor(request.topic);
    const { message } = request;
    const headers = buildDeadLetterHeaders(message.headers, {
      topic: request.topic,
      partition: request.partition,
      offset: message.offset,
      timestamp: message.timestamp,
      groupId: this.config.groupId,
      error: request.error,
      attempts: request.attempts,
      failedAt: new Date(),
      retryTiers: request.retryTiers,
    });
    try {
      await sendWithAttempts(
        this.producer,
        target,
        { key: message.key, value: message.value, headers },
        {
          attempts: this.config.writeAttempts,
          signal,
          logger: this.logger,
          what: 'dead-letter write failed',
          where: {
            deadLetterTopic: target,
            topic: request.topic,
            partition: request.partition,
            offset: message.offset,
          },
        },
      );
    } catch (last) {
      throw new DeadLetterError(
        `Writing ${request.topic}[${request.partition}]@${message.offset} to dead-letter topic "${target}" failed: ${toError(last).message}`,
        { cause: last },
      );
    }
    return target;
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  close(): Promise<void> {
    return this.producer.disconnect();
  }
}

/**
 * One record written `attempts` times at most (backoff 100 ms doubling to 2 s, cut short by
 * `signal`); rejects with the last error. Shared by the DLQ and the retry-tier writers.
 */
export async function sendWithAttempts(
  producer: DeadLetterProducer,
  target: string,
  record: OutgoingRecord,
  how: {
    attempts: number;
    signal: AbortSignal;
    logger: Logger;
    what: string;
    where: Record<string, unknown>;
  },
): Promise<void> {
  let last: unknown;
  for (let attempt = 1; attempt <= how.attempts; attempt++) {
    try {
      await producer.send(target, record);
      return;
    } catch (error) {
      last = error;
      how.logger.warn({ err: error, ...how.where, attempt }, how.what);
      if (attempt < how.attempts) {
        const waited = await sleepWithTicks(
          Math.min(2000, 100 * 2 ** (attempt - 1)),
          60_000,
          noTick,
          how.signal,
        );
        if (!waited) break;
      }
    }
  }
  throw last;
}
