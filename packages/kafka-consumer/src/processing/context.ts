import type { ClientBatch } from '../client/port.js';
import type { Logger } from '../logger.js';
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
    batch: ClientBatch,
    readonly message: ConsumedMessage,
    readonly value: T,
    readonly attempt: number,
    readonly signal: AbortSignal,
    readonly log: Logger,
  ) {
    this.topic = batch.topic;
    this.partition = batch.partition;
    this.heartbeat = batch.heartbeat;
  }
}
