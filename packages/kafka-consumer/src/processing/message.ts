import type { ClientBatch } from '../client/port.js';
import { decodeValue } from '../codec.js';
import type { DeadLetterPublisher } from '../dead-letter/publisher.js';
import { DrainTimeoutError, isNonRetryable, PartitionStoppedError, toError } from '../errors.js';
import type { TypedEmitter } from '../events.js';
import type { ResolvedOptions } from '../options.js';
import type { ConsumedMessage, MessageContext } from '../types.js';
import { DeadlineWait } from './deadline.js';
import type { PartitionControl } from './partitions.js';
import { backoffDelay, shouldRetry, sleepWithTicks } from './retry.js';

/** 'done': finished (processed or dead-lettered), commit may pass it. 'halt': unfinished, stop the partition's batch. */
export type Outcome = 'done' | 'halt';

export interface Signals {
  /** Aborted at the drain deadline; handed to handlers. */
  deadline: AbortSignal;
  /** Aborted when shutdown starts: interrupts backoff sleeps and DLQ write retries. */
  stopping: AbortSignal;
}

/** One message through handler -> retry policy -> dead-letter or partition stop. */
export class MessageProcessor<T> {
  inFlight = 0;
  readonly #deadlineWait: DeadlineWait;

  constructor(
    private readonly options: ResolvedOptions<T>,
    private readonly events: TypedEmitter,
    private readonly control: PartitionControl,
    private readonly publisher: DeadLetterPublisher | undefined,
    private readonly signals: Signals,
    /** The client's "group is rebalancing" test: such errors end the batch instead of being retried. */
    private readonly isRebalanceError: (error: unknown) => boolean,
  ) {
    this.#deadlineWait = new DeadlineWait(signals.deadline);
  }

  async process(batch: ClientBatch, message: ConsumedMessage): Promise<Outcome> {
    const { topic, partition } = batch;
    if (this.control.size !== 0) {
      const owed = this.control.pendingDeadLetter(topic, partition, message.offset);
      if (owed !== undefined) return this.#deadLetter(batch, message, owed.error, owed.attempts);
    }

    let value: T;
    try {
      value = decodeValue(this.options.codec, message.value);
    } catch (error) {
      return this.#failed(batch, message, toError(error), 0);
    }

    const { handler, retry, logger, heartbeatIntervalMs } = this.options;
    const { deadline, stopping } = this.signals;
    for (let attempt = 1; ; attempt++) {
      const context: MessageContext<T> = {
        topic,
        partition,
        message,
        value,
        attempt,
        signal: deadline,
        heartbeat: batch.heartbeat,
        log: logger,
      };
      const started = this.events.has('message.processed') ? Date.now() : 0;
      let failure: unknown;
      this.inFlight++;
      try {
        const result = handler(context);
        if (result instanceof Promise) await this.#deadlineWait.until(result);
      } catch (error) {
        failure = error ?? new Error('handler threw a nullish value');
      } finally {
        this.inFlight--;
      }
      if (failure === undefined) {
        if (started !== 0) {
          this.events.emit('message.processed', {
            topic,
            partition,
            offset: message.offset,
            attempt,
            durationMs: Date.now() - started,
          });
        }
        return 'done';
      }
      if (deadline.aborted || failure instanceof DrainTimeoutError) return 'halt';
      // The handler's own heartbeat() found the group rebalancing: not a handler failure.
      if (this.isRebalanceError(failure)) throw failure;
      const error = toError(failure);
      if (!shouldRetry(error, attempt, retry.maxRetries)) return this.#failed(batch, message, error, attempt);
      if (stopping.aborted) return 'halt';
      const delayMs = backoffDelay(attempt, retry);
      if (this.events.has('message.retrying')) {
        this.events.emit('message.retrying', {
          topic,
          partition,
          offset: message.offset,
          attempt,
          delayMs,
          error,
        });
      }
      logger.warn(
        { err: error, topic, partition, offset: message.offset, attempt, delayMs },
        'handler failed; retrying',
      );
      // Heartbeats while waiting so a long backoff does not get this member evicted; a rebalance rejects.
      const waited = await sleepWithTicks(delayMs, heartbeatIntervalMs, batch.heartbeat, stopping);
      if (!waited) return 'halt';
    }
  }

  async #failed(
    batch: ClientBatch,
    message: ConsumedMessage,
    error: Error,
    attempts: number,
  ): Promise<Outcome> {
    const { topic, partition } = batch;
    const { offset } = message;
    if (this.events.has('message.failed')) {
      this.events.emit('message.failed', {
        topic,
        partition,
        offset,
        attempts,
        error,
        retryable: !isNonRetryable(error),
      });
    }
    if (this.publisher !== undefined) return this.#deadLetter(batch, message, error, attempts);

    const stopped = new PartitionStoppedError(
      `${topic}[${partition}]@${offset} failed after ${attempts} attempt(s) and the dead-letter queue is disabled: partition stopped (call consumer.resumePartition to retry it)`,
      { cause: error },
    );
    this.options.logger.error(
      { err: stopped, cause: error, topic, partition, offset, attempts },
      'partition stopped',
    );
    this.control.hold({ topic, partition, reason: 'retries-exhausted', offset, error, attempts });
    this.events.emit('error', { error: stopped, topic, partition });
    return 'halt';
  }

  async #deadLetter(
    batch: ClientBatch,
    message: ConsumedMessage,
    error: Error,
    attempts: number,
  ): Promise<Outcome> {
    const publisher = this.publisher as DeadLetterPublisher;
    const { topic, partition } = batch;
    const { offset } = message;
    try {
      const deadLetterTopic = await publisher.publish(
        { topic, partition, message, error, attempts },
        this.signals.stopping,
      );
      this.control.settled(topic, partition);
      if (this.events.has('message.dead-lettered')) {
        this.events.emit('message.dead-lettered', {
          topic,
          partition,
          offset,
          deadLetterTopic,
          attempts,
          error,
        });
      }
      this.options.logger.warn(
        { topic, partition, offset, deadLetterTopic, attempts, reason: error.message },
        'message dead-lettered',
      );
      return 'done';
    } catch (failure) {
      if (this.signals.stopping.aborted) return 'halt';
      const dlqError = toError(failure);
      const { recoveryDelayMs } = this.options.deadLetter as { recoveryDelayMs: number };
      this.options.logger.error(
        { err: dlqError, topic, partition, offset, recoveryDelayMs },
        'dead-letter write failed; partition paused',
      );
      this.control.hold(
        { topic, partition, reason: 'dead-letter-failed', offset, error, attempts },
        recoveryDelayMs,
      );
      this.events.emit('error', { error: dlqError, topic, partition });
      return 'halt';
    }
  }
}
