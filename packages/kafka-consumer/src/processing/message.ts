import type { ClientBatch } from '../client/port.js';
import { decodeValue } from '../codec.js';
import type { DeadLetterPublisher } from '../dead-letter/publisher.js';
import { DrainTimeoutError, RebalanceError, toError } from '../errors.js';
import type { TypedEmitter } from '../events.js';
import type { Generation, Lifecycle } from '../lifecycle.js';
import type { ResolvedOptions } from '../options.js';
import type { RetryTiers } from '../retry-tiers/tiers.js';
import type { TierWriter } from '../retry-tiers/writer.js';
import type { ConsumedMessage } from '../types.js';
import { HandlerContext } from './context.js';
import { DependencyWaits, isDependencyUnavailable } from './dependency-wait.js';
import type { ConcurrencyLimit } from './limit.js';
import { FailureOutcome } from './outcome.js';
import type { PartitionControl } from './partitions.js';
import { backoffDelay, shouldRetry, sleepWithTicks } from './retry.js';

/** 'done': finished (processed or dead-lettered), commit may pass it. 'halt': unfinished, stop the partition's batch. */
export type Outcome = 'done' | 'halt';

/** One message through handler -> retry policy -> retry tier, dead-letter or partition stop. */
export class MessageProcessor<T> {
  /** Messages waiting for an unavailable dependency (DependencyUnavailableError): retried apart. */
  readonly dependencies: DependencyWaits;
  readonly #outcome: FailureOutcome;

  constructor(
    private readonly options: ResolvedOptions<T>,
    private readonly events: TypedEmitter,
    private readonly control: PartitionControl,
    publisher: DeadLetterPublisher | undefined,
    /** Handler signals and the stopping signal come from the lifecycle, read at each call. */
    lifecycle: Lifecycle,
    /** The slot a call gives back during its backoff. */
    private readonly limit: ConcurrencyLimit,
    /** The retry tiers (`retry.topics`), none when there are none. */
    private readonly tiers: { model: RetryTiers; writer: TierWriter } | undefined = undefined,
  ) {
    this.#outcome = new FailureOutcome(
      options as ResolvedOptions<unknown>,
      events,
      control,
      publisher,
      lifecycle,
      tiers,
    );
    this.dependencies = new DependencyWaits({
      policy: { ...options.retry.unavailable, multiplier: options.retry.multiplier },
      heartbeatIntervalMs: options.heartbeatIntervalMs,
      events,
      logger: options.logger,
      limit,
    });
  }

  /**
   * Runs one message. Synchronous when the handler does not return a promise (and nothing is owed
   * on the partition): the runner then awaits nothing. Only `instanceof Promise` results are awaited.
   */
  process(batch: ClientBatch, message: ConsumedMessage, gen: Generation): Outcome | Promise<Outcome> {
    if (this.control.size !== 0) {
      const owed = this.control.pendingDeadLetter(batch.topic, batch.partition, message.offset);
      if (owed !== undefined)
        return this.#outcome.failed(batch, message, owed.error, owed.attempts, gen, true);
    }
    // A share group's broker counts deliveries: the handler's attempt starts there.
    let attempt = message.deliveryCount ?? 1;
    if (this.tiers?.model.isTierTopic(batch.topic)) {
      // A tier record not due yet pauses its partition until it is (the rest is fetched again then).
      const visit = this.tiers.model.visit(batch, message);
      if (visit.dueAt > Date.now()) {
        this.control.waitUntilDue(batch, visit.dueAt);
        return 'halt';
      }
      attempt = visit.attempts + 1;
    }
    let value: T;
    try {
      value = decodeValue(this.options.codec, message.value);
    } catch (error) {
      return this.#outcome.failed(batch, message, toError(error), 0, gen);
    }
    return this.#attempt(batch, message, value, attempt, gen);
  }

  /** One handler call. */
  #attempt(
    batch: ClientBatch,
    message: ConsumedMessage,
    value: T,
    attempt: number,
    gen: Generation,
  ): Outcome | Promise<Outcome> {
    const { options } = this;
    const started = this.events.has('message.processed') ? Date.now() : 0;
    let result: Promise<void> | void;
    // From a retry tier the handler sees the origin message (topic, partition, offset, headers).
    const visit = this.tiers === undefined ? undefined : this.#outcome.visitOf(batch, message);
    try {
      result = options.handler(
        new HandlerContext(
          options.groupId,
          visit?.view ?? batch,
          visit?.message ?? message,
          value,
          attempt,
          gen.signal,
          options.logger,
          visit?.info,
        ),
      );
    } catch (error) {
      return this.#afterFailure(batch, message, value, attempt, error, gen);
    }
    if (result instanceof Promise) return this.#settle(result, batch, message, value, attempt, started, gen);
    if (started !== 0) this.#processed(batch, message, attempt, started);
    return 'done';
  }

  /** Waits for the handler's promise (or the drain deadline). */
  async #settle(
    result: Promise<void>,
    batch: ClientBatch,
    message: ConsumedMessage,
    value: T,
    attempt: number,
    started: number,
    gen: Generation,
  ): Promise<Outcome> {
    try {
      await gen.wait.until(result);
    } catch (error) {
      return this.#afterFailure(batch, message, value, attempt, error, gen);
    }
    if (started !== 0) this.#processed(batch, message, attempt, started);
    return 'done';
  }

  #processed(batch: ClientBatch, message: ConsumedMessage, attempt: number, started: number): void {
    this.events.emit('message.processed', {
      topic: batch.topic,
      partition: batch.partition,
      offset: message.offset,
      attempt,
      durationMs: Date.now() - started,
    });
  }

  /** Attempt `attempt` failed: retry after a backoff, or dead-letter / stop, or halt (shutdown). */
  async #afterFailure(
    batch: ClientBatch,
    message: ConsumedMessage,
    value: T,
    attempt: number,
    thrown: unknown,
    gen: Generation,
  ): Promise<Outcome> {
    const failure = thrown ?? new Error('handler threw a nullish value');
    if (gen.signal.aborted || failure instanceof DrainTimeoutError) return 'halt';
    // Only the client adapter makes RebalanceError (the handler's own heartbeat() found the group
    // rebalancing): the message is unfinished and comes again after the re-join. Any other error
    // is a handler failure, whatever fields it carries.
    if (failure instanceof RebalanceError) throw failure;
    // A dependency that is down is not the message's fault: the same attempt again, after its own
    // backoff, for as long as it takes; never dead-lettered, no retry budget spent.
    if (isDependencyUnavailable(failure))
      return this.dependencies.retry(batch, message.offset, failure, gen, () =>
        this.#attempt(batch, message, value, attempt, gen),
      );
    const error = toError(failure);
    const { retry, logger, heartbeatIntervalMs } = this.options;
    // At a retry tier the handler is called once: a failure moves the message to the next tier.
    if (!shouldRetry(error, attempt, retry.maxRetries) || this.tiers?.model.isTierTopic(batch.topic))
      return this.#outcome.failed(batch, message, error, attempt, gen);
    if (gen.sleeps.aborted) return 'halt';
    const { topic, partition } = batch;
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
    // Heartbeats while waiting so a long backoff does not get this member evicted; a rebalance
    // rejects. The sleep ends when the generation is revoked or the consumer stops: no attempt of
    // a revoked generation starts.
    this.limit.release();
    let waited: boolean;
    try {
      waited = await sleepWithTicks(delayMs, heartbeatIntervalMs, batch.heartbeat, gen.sleeps);
    } finally {
      await this.limit.take();
    }
    if (!waited || gen.signal.aborted) return 'halt';
    return this.#attempt(batch, message, value, attempt + 1, gen);
  }
}
