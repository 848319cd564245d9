import type { DeadLetterProducer } from '../client/port.js';
import { sendWithAttempts } from '../dead-letter/publisher.js';
import { RetryTierError, toError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { ConsumedMessage } from '../types.js';
import { buildTierHeaders, type TierOrigin } from './headers.js';
import type { Tier } from './tiers.js';

export interface TierWrite {
  /** The record consumed now (source or tier topic): for the log line and the error. */
  from: { topic: string; partition: number; offset: string };
  origin: TierOrigin;
  /** The message as its source topic had it (key, value, original headers). */
  message: ConsumedMessage;
  error: Error;
  attempts: number;
  /** Delay names of the tiers before this one. */
  tiersBefore: string;
  to: Tier & { topic: string };
}

/**
 * Writes failed messages to their next retry tier with the DLQ's contract: the write is tried
 * `writeAttempts` times and resolves only once acknowledged by every in-sync replica; if it still
 * fails a RetryTierError is thrown and the caller must not commit the consumed offset.
 */
export class TierWriter {
  constructor(
    private readonly producer: DeadLetterProducer,
    private readonly config: { writeAttempts: number; groupId: string },
    private readonly logger: Logger,
  ) {}

  /** Resolves with the due time (epoch ms) once the record is durably written. */
  async write(request: TierWrite, signal: AbortSignal): Promise<number> {
    const { message, to, from } = request;
    const dueAt = Date.now() + to.delayMs;
    const headers = buildTierHeaders(message.headers, message.key, {
      origin: request.origin,
      groupId: this.config.groupId,
      attempts: request.attempts,
      tier: to.tier,
      tiers: request.tiersBefore === '' ? to.name : `${request.tiersBefore},${to.name}`,
      dueAt: new Date(dueAt),
      error: request.error,
    });
    try {
      await sendWithAttempts(
        this.producer,
        to.topic,
        { key: message.key, value: message.value, headers },
        {
          attempts: this.config.writeAttempts,
          signal,
          logger: this.logger,
          what: 'retry-tier write failed',
          where: { retryTopic: to.topic, ...from },
        },
      );
    } catch (last) {
      throw new RetryTierError(
        `Writing ${from.topic}[${from.partition}]@${from.offset} to retry tier "${to.topic}" failed: ${toError(last).message}`,
        { cause: last },
      );
    }
    return dueAt;
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  close(): Promise<void> {
    return this.producer.disconnect();
  }
}
