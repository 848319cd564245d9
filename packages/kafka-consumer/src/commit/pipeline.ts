import { CommitError, toError } from '../errors.js';
import type { CommitReason, TypedEmitter } from '../events.js';
import type { Logger } from '../logger.js';
import type { OffsetTracker, PendingOffset } from '../processing/offsets.js';

/** Sends one OffsetCommit; resolves only once the broker acknowledged it on the live group. */
export type CommitSend = (offsets: readonly PendingOffset[]) => Promise<void>;

export interface PipelineOptions {
  /** Encode finished-above-committable offsets in the commit metadata (key / unordered dispatch). */
  withMetadata: boolean;
  /** Tries of one commit on a transient failure (coordinator moved, timeout), with backoff. */
  attempts: number;
  initialDelayMs: number;
  /** Sees every commit that failed for good (the re-join watchdog arms on fencing). */
  onFailed: (error: Error) => void;
}

/**
 * The one way offsets get committed: at most one OffsetCommit in flight. While one is in flight,
 * finished offsets coalesce; when it completes, the next carries the latest committable offset of
 * every partition that moved, so commits never reorder. A commit is recorded only when the broker
 * acknowledged it in the generation it was built in. Transient failures are retried in place;
 * fencing (RebalanceError) is reported and left for the re-join.
 */
export class CommitPipeline {
  lastCommitAt: number | null = null;
  #running: Promise<void> | undefined;
  #wanted: CommitReason | undefined;
  #started = 0;
  #closed = false;
  #waiters: Array<{ target: number; wake: () => void }> = [];

  constructor(
    private readonly tracker: OffsetTracker,
    private readonly send: CommitSend,
    private readonly events: TypedEmitter,
    private readonly logger: Logger,
    private readonly options: PipelineOptions,
  ) {}

  /** Asks for a commit of whatever is committable; coalesces with the one in flight. */
  request(reason: CommitReason): void {
    if (this.#closed) return;
    this.#wanted ??= reason;
    this.#running ??= this.#loop().finally(() => {
      this.#running = undefined;
      this.#wake(Number.POSITIVE_INFINITY);
    });
  }

  /**
   * Waits for the commit in flight, then sends the latest committable offsets. Resolves true when
   * nothing committable is left unacknowledged afterwards.
   */
  async flush(reason: CommitReason): Promise<boolean> {
    const target = this.#started + 1;
    this.request(reason);
    if (this.#running !== undefined) {
      await new Promise<void>((wake) => this.#waiters.push({ target, wake }));
    }
    return this.tracker.pending(false).length === 0;
  }

  /** Stops retrying and sending (the client is being stopped). */
  close(): void {
    this.#closed = true;
    this.#wanted = undefined;
  }

  async #loop(): Promise<void> {
    while (this.#wanted !== undefined && !this.#closed) {
      const reason = this.#wanted;
      this.#wanted = undefined;
      const offsets = this.tracker.pending(this.options.withMetadata);
      if (offsets.length === 0) continue;
      const seq = ++this.#started;
      const counts = this.tracker.counts(offsets);
      const generation = this.tracker.generation;
      const began = Date.now();
      const sent = await this.#sendWithRetries(offsets, reason);
      if (sent && this.tracker.acknowledged(offsets, counts, generation)) {
        this.lastCommitAt = Date.now();
        if (this.events.has('offsets.committed'))
          this.events.emit('offsets.committed', {
            offsets: offsets.map(({ topic, partition, offset }) => ({ topic, partition, offset })),
            reason,
            durationMs: this.lastCommitAt - began,
          });
        this.logger.debug({ offsets, reason }, 'offsets committed');
      }
      this.#wake(seq);
    }
  }

  async #sendWithRetries(offsets: readonly PendingOffset[], reason: CommitReason): Promise<boolean> {
    const { attempts, initialDelayMs } = this.options;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.send(offsets);
        return true;
      } catch (cause) {
        const retriable = cause instanceof CommitError && cause.retriable;
        if (retriable && attempt < attempts && !this.#closed) {
          const delayMs = Math.min(2000, initialDelayMs * 2 ** (attempt - 1));
          this.logger.warn({ err: cause, reason, attempt, delayMs }, 'offset commit failed; retrying it');
          await new Promise((resolve) => setTimeout(resolve, delayMs).unref());
          continue;
        }
        const error = toError(cause);
        this.logger.error({ err: error, offsets, reason, attempt }, 'offset commit failed');
        this.options.onFailed(error);
        this.events.emit('offsets.commit-failed', { error, reason });
        this.events.emit('error', { error });
        return false;
      }
    }
  }

  #wake(finished: number): void {
    if (this.#waiters.length === 0) return;
    const keep: Array<{ target: number; wake: () => void }> = [];
    for (const waiter of this.#waiters) {
      if (waiter.target <= finished || this.#running === undefined) waiter.wake();
      else keep.push(waiter);
    }
    this.#waiters = keep;
  }
}
