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
  /** Every commit that ended (acknowledged, failed or dropped): the scheduler's window re-checks. */
  onSettled?: () => void;
  /**
   * false for a share group: nothing is ever committed (each record is acknowledged by itself), so
   * no request is sent, no `offsets.committed` event fires and `flush` resolves true at once.
   * @default true
   */
  commits?: boolean;
}

interface Waiter {
  readonly target: number;
  readonly wake: () => void;
}

/**
 * The one way offsets get committed: at most one OffsetCommit in flight. While one is in flight,
 * finished offsets coalesce; when it completes, the next carries the latest committable offset of
 * every partition that moved, so commits never reorder. A commit is built in one generation and
 * sent only in it (a retry after a re-join is dropped), recorded only when the broker acknowledged
 * it in that generation, and never sent when it would repeat the last acknowledged one.
 *
 * The loop flag is set and cleared synchronously with the loop's own checks, so a request that
 * lands while the loop is ending is seen by it or starts the next one: none is lost.
 */
export class CommitPipeline {
  lastCommitAt: number | null = null;
  #running = false;
  #inFlight = false;
  #wanted: CommitReason | undefined;
  #started = 0;
  #finished = 0;
  #closed = false;
  #waiters: Waiter[] = [];

  constructor(
    private readonly tracker: OffsetTracker,
    private readonly send: CommitSend,
    private readonly events: TypedEmitter,
    private readonly logger: Logger,
    private readonly options: PipelineOptions,
  ) {}

  /** An OffsetCommit is in flight (sent, not yet settled). */
  get busy(): boolean {
    return this.#inFlight;
  }

  /** Asks for a commit of whatever is committable; coalesces with the one in flight. */
  request(reason: CommitReason): void {
    if (this.#closed || this.options.commits === false) return;
    this.#wanted ??= reason;
    if (this.#running) return;
    this.#running = true;
    void this.#loop();
  }

  /**
   * Waits for the commit in flight and the one this request adds, if anything changed. Resolves
   * true when nothing committable is left unacknowledged afterwards.
   */
  async flush(reason: CommitReason): Promise<boolean> {
    if (this.options.commits === false) return true;
    this.request(reason);
    if (this.#running) {
      // The commit in flight may predate this request: wait for the one after it too.
      const target = this.#started + 1;
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
    try {
      while (this.#wanted !== undefined && !this.#closed) {
        const reason = this.#wanted;
        this.#wanted = undefined;
        const offsets = this.tracker.pending(this.options.withMetadata);
        if (offsets.length === 0) continue;
        const seq = ++this.#started;
        this.#inFlight = true;
        try {
          await this.#commit(offsets, reason);
        } finally {
          this.#inFlight = false;
        }
        this.#finished = seq;
        this.#wake(false);
        this.options.onSettled?.();
      }
    } finally {
      this.#running = false;
      this.#wake(true);
    }
  }

  async #commit(offsets: PendingOffset[], reason: CommitReason): Promise<void> {
    const counts = this.tracker.counts(offsets);
    const generation = this.tracker.generation;
    const began = Date.now();
    const sent = await this.#sendWithRetries(offsets, reason, generation);
    if (!sent || !this.tracker.acknowledged(offsets, counts, generation)) return;
    this.lastCommitAt = Date.now();
    if (this.events.has('offsets.committed'))
      this.events.emit('offsets.committed', {
        offsets: offsets.map(({ topic, partition, offset }) => ({ topic, partition, offset })),
        reason,
        durationMs: this.lastCommitAt - began,
      });
    this.logger.debug({ offsets, reason }, 'offsets committed');
  }

  async #sendWithRetries(
    offsets: readonly PendingOffset[],
    reason: CommitReason,
    generation: number,
  ): Promise<boolean> {
    const { attempts, initialDelayMs } = this.options;
    for (let attempt = 1; ; attempt++) {
      if (this.#closed || this.tracker.generation !== generation) return false;
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

  /** Wakes the flushes whose commit finished (every one once the loop ended). */
  #wake(all: boolean): void {
    if (this.#waiters.length === 0) return;
    const keep: Waiter[] = [];
    for (const waiter of this.#waiters) {
      if (all || waiter.target <= this.#finished) waiter.wake();
      else keep.push(waiter);
    }
    this.#waiters = keep;
  }
}
