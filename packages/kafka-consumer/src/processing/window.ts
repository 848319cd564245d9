import type { CommitPipeline } from '../commit/pipeline.js';
import type { CommitStrategy } from '../commit/strategy.js';
import type { Logger } from '../logger.js';
import type { Item } from './lanes.js';
import type { OffsetTracker } from './offsets.js';

export interface WindowParts {
  strategy: CommitStrategy;
  maxUncommitted: number;
  pipeline: CommitPipeline;
  tracker: OffsetTracker;
  logger: Logger;
}

/**
 * The per-message window: whether `item` must wait (it is parked, and runs again when a commit
 * settles or its partition's head moves). A partition with `maxUncommitted` finished messages not
 * yet covered by an acknowledged commit waits for the commit in flight, so one partition pays one
 * round trip per window. When no commit can say more (the head is stuck and the finished offsets
 * above it no longer fit the metadata), only the head may run: the partition is blocked behind it,
 * says so once in the log and in health(), and timers, heartbeats and probes keep running.
 */
export function mustWait(parts: WindowParts, item: Item): boolean {
  const { strategy, maxUncommitted, pipeline, tracker } = parts;
  const { part } = item;
  if (!strategy.afterMessage || part.offsets.uncommitted < maxUncommitted) {
    part.blockedSince = undefined;
    return false;
  }
  if (pipeline.busy) return true;
  if (tracker.pendingOf(part.offsets, true) !== undefined) {
    pipeline.request('message');
    return true;
  }
  // No commit can say more: only the head runs, even when others are parked (a head read again
  // after it was let go arrives behind later messages, and must not wait behind them).
  const head = part.offsets.committable();
  if (item.message.offset === head) return false;
  if (part.blockedSince === undefined || part.blockedAt !== head) {
    part.blockedSince = Date.now();
    part.blockedAt = head;
    parts.logger.warn(
      { ...part.tp, offset: head, finishedAbove: part.offsets.uncommitted },
      'partition blocked behind an unfinished message: the finished offsets above it no longer fit the commit metadata',
    );
  }
  return true;
}
