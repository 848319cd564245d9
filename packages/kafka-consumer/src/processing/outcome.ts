import type { ClientBatch } from '../client/port.js';
import type { DeadLetterPublisher } from '../dead-letter/publisher.js';
import { DEFAULTS } from '../defaults.js';
import { isNonRetryable, PartitionStoppedError, toError } from '../errors.js';
import type { TypedEmitter } from '../events.js';
import type { Generation, Lifecycle } from '../lifecycle.js';
import type { ResolvedOptions } from '../options.js';
import type { RetryTiers, Tier, TierVisit } from '../retry-tiers/tiers.js';
import type { TierWriter } from '../retry-tiers/writer.js';
import type { ConsumedMessage } from '../types.js';
import type { Outcome } from './message.js';
import type { PartitionControl } from './partitions.js';

/**
 * Where a message that failed for good goes: its next retry tier, else the dead-letter topic, else
 * (DLQ off) its partition stops (a share group's record is rejected). A tier or DLQ write that
 * fails commits nothing: the partition is held and the write is tried again when it reopens.
 */
export class FailureOutcome {
  constructor(
    private readonly options: ResolvedOptions<unknown>,
    private readonly events: TypedEmitter,
    private readonly control: PartitionControl,
    private readonly publisher: DeadLetterPublisher | undefined,
    private readonly lifecycle: Lifecycle,
    private readonly tiers: { model: RetryTiers; writer: TierWriter } | undefined,
  ) {}

  /** The tier record's view of `message`, when it was read from a retry tier. */
  visitOf(batch: ClientBatch, message: ConsumedMessage): TierVisit | undefined {
    const tiers = this.tiers;
    return tiers?.model.isTierTopic(batch.topic) ? tiers.model.visit(batch, message) : undefined;
  }

  /**
   * `attempts` handler calls failed (0: it could not be decoded). `owed`: the write of an earlier
   * failure is tried again (a held partition reopened), nothing new is reported.
   */
  failed(
    batch: ClientBatch,
    message: ConsumedMessage,
    error: Error,
    attempts: number,
    gen: Generation,
    owed = false,
  ): Promise<Outcome> {
    const tiers = this.tiers;
    if (tiers !== undefined && attempts > 0 && !isNonRetryable(error)) {
      const visit = this.visitOf(batch, message);
      const to = tiers.model.next(visit?.origin.topic ?? batch.topic, visit);
      if (to !== undefined) return this.#toTier(batch, message, visit, to, error, attempts, gen);
    }
    const { topic, partition } = batch;
    const { offset } = message;
    if (!owed && this.events.has('message.failed')) {
      this.events.emit('message.failed', {
        topic,
        partition,
        offset,
        attempts,
        error,
        retryable: !isNonRetryable(error),
      });
    }
    if (this.publisher !== undefined) return this.#deadLetter(batch, message, error, attempts, gen);
    if (batch.acknowledge !== undefined) {
      // A share group has no partition to stop: the record is rejected (never delivered again).
      batch.acknowledge(message, 'reject');
      this.options.logger.error({ err: error, topic, partition, offset, attempts }, 'message rejected');
      return Promise.resolve('done');
    }
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
    return Promise.resolve('halt');
  }

  async #toTier(
    batch: ClientBatch,
    message: ConsumedMessage,
    visit: TierVisit | undefined,
    to: Tier & { topic: string },
    error: Error,
    attempts: number,
    gen: Generation,
  ): Promise<Outcome> {
    const writer = (this.tiers as { writer: TierWriter }).writer;
    const { topic, partition } = batch;
    const { offset } = message;
    try {
      const dueAt = (await gen.wait.until(
        writer.write(
          {
            from: { topic, partition, offset },
            origin: visit?.origin ?? { topic, partition, offset, timestamp: message.timestamp },
            message: visit?.message ?? message,
            error,
            attempts,
            tiersBefore: visit?.tiers ?? '',
            to,
          },
          this.lifecycle.stoppingSignal,
        ),
      )) as number;
      this.control.settled(topic, partition);
      if (this.events.has('message.retry-tiered')) {
        this.events.emit('message.retry-tiered', {
          topic,
          partition,
          offset,
          retryTopic: to.topic,
          tier: to.tier,
          dueAt,
          attempts,
          error,
        });
      }
      this.options.logger.warn(
        { topic, partition, offset, retryTopic: to.topic, attempts, dueAt, reason: error.message },
        'message moved to a retry tier',
      );
      return 'done';
    } catch (failure) {
      return this.#writeFailed(batch, message, error, attempts, gen, failure, 'retry-tier');
    }
  }

  async #deadLetter(
    batch: ClientBatch,
    message: ConsumedMessage,
    error: Error,
    attempts: number,
    gen: Generation,
  ): Promise<Outcome> {
    const publisher = this.publisher as DeadLetterPublisher;
    const { topic, partition } = batch;
    const { offset } = message;
    // After the last tier the DLQ record names the origin, so a redrive goes back to the source topic.
    const visit = this.visitOf(batch, message);
    try {
      // Bounded by the drain deadline like a handler: a write still in flight then is abandoned
      // (the message stays uncommitted; the DLQ record id header makes a repeat recognisable).
      const deadLetterTopic = (await gen.wait.until(
        publisher.publish(
          visit === undefined
            ? { topic, partition, message, error, attempts }
            : {
                topic: visit.origin.topic,
                partition: visit.origin.partition,
                message: visit.message,
                error,
                attempts,
                retryTiers: visit.tiers,
              },
          this.lifecycle.stoppingSignal,
        ),
      )) as string;
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
      return this.#writeFailed(batch, message, error, attempts, gen, failure, 'dead-letter');
    }
  }

  /** The write failed for good: nothing is committed, the partition is held and tried again later. */
  #writeFailed(
    batch: ClientBatch,
    message: ConsumedMessage,
    error: Error,
    attempts: number,
    gen: Generation,
    failure: unknown,
    what: 'dead-letter' | 'retry-tier',
  ): Outcome {
    if (this.lifecycle.stoppingSignal.aborted || gen.signal.aborted) return 'halt';
    const { topic, partition } = batch;
    const { offset } = message;
    const writeError = toError(failure);
    const dl = this.options.deadLetter;
    const recoveryDelayMs = dl === false ? DEFAULTS.deadLetter.recoveryDelayMs : dl.recoveryDelayMs;
    this.options.logger.error(
      { err: writeError, topic, partition, offset, recoveryDelayMs },
      `${what} write failed; partition paused`,
    );
    // The same hold as a failed DLQ write: when the partition reopens, the write (to the same
    // destination) is tried again before anything else of it.
    this.control.hold(
      { topic, partition, reason: 'dead-letter-failed', offset, error, attempts },
      recoveryDelayMs,
    );
    this.events.emit('error', { error: writeError, topic, partition });
    return 'halt';
  }
}
