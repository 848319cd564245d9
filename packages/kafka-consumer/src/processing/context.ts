import type { ClientBatch } from '../client/port.js';
import type { Logger } from '../logger.js';
import type { RetryTierInfo } from '../retry-tiers/tiers.js';
import type { ConsumedMessage, MessageContext } from '../types.js';

/**
 * What a handler receives, built with one allocation per call (a class keeps one hidden shape
 * for every context, unlike an object literal assembled per message).
 */
export class HandlerContext<T> implements MessageContext<T> {
  readonly topic: string;
  readonly partition: number;
  readonly heartbeat: () => Promise<void>;

  constructor(
    readonly groupId: string,
    /** The batch, or for a retry-tier record a view naming its origin topic and partition. */
    batch: Pick<ClientBatch, 'topic' | 'partition' | 'heartbeat'>,
    readonly message: ConsumedMessage,
    readonly value: T,
    readonly attempt: number,
    readonly signal: AbortSignal,
    readonly log: Logger,
    readonly retryTier: RetryTierInfo | undefined,
  ) {
    this.topic = batch.topic;
    this.partition = batch.partition;
    this.heartbeat = batch.heartbeat;
  }
}
