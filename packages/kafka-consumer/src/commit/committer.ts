import type { CommitOffset } from '../client/port.js';
import { CommitError, toError } from '../errors.js';
import type { CommitReason, TypedEmitter } from '../events.js';
import type { Logger } from '../logger.js';
import type { OffsetTracker } from '../processing/offsets.js';

export type CommitVia = (offsets: readonly CommitOffset[]) => Promise<void>;

/**
 * Commits what the tracker says is finished, through the given client call. A failed commit
 * (rebalance in progress, fenced member, broker error) is logged and emitted as an 'error' event,
 * then rethrown so the caller can stop; the offsets stay pending and are retried next time.
 */
export class Committer {
  lastCommitAt: number | null = null;

  constructor(
    private readonly tracker: OffsetTracker,
    private readonly events: TypedEmitter,
    private readonly logger: Logger,
    /** Sees the client's error of every failed commit (e.g. to notice that the group is rebalancing). */
    private readonly onFailed: (cause: unknown) => void = () => undefined,
    /** Runs after every successful commit. */
    private readonly onCommitted: () => void = () => undefined,
  ) {}

  async commit(via: CommitVia, reason: CommitReason): Promise<void> {
    if (!this.tracker.hasPending()) return;
    const offsets = this.tracker.pending();
    const began = this.events.has('offsets.committed') ? performance.now() : 0;
    try {
      await via(offsets);
    } catch (cause) {
      const error = new CommitError(`Committing offsets (${reason}) failed: ${toError(cause).message}`, {
        cause,
      });
      this.logger.error({ err: error, offsets, reason }, 'offset commit failed');
      this.events.emit('error', { error });
      this.onFailed(cause);
      throw error;
    }
    this.tracker.committed(offsets);
    this.lastCommitAt = Date.now();
    this.onCommitted();
    if (this.events.has('offsets.committed')) {
      this.events.emit('offsets.committed', { offsets, reason, durationMs: performance.now() - began });
    }
    this.logger.debug({ offsets, reason }, 'offsets committed');
  }

  /** Same as commit() but never rejects (the failure was already reported). */
  async tryCommit(via: CommitVia, reason: CommitReason): Promise<boolean> {
    try {
      await this.commit(via, reason);
      return true;
    } catch (error) {
      this.logger.debug({ err: error, reason }, 'commit failure already reported');
      return false;
    }
  }
}
