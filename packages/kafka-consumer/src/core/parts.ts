import type { ConsumerClient } from '../client/port.js';
import type { TierParts } from '../clients.js';
import { createCommitStrategy } from '../commit/index.js';
import { CommitPipeline } from '../commit/pipeline.js';
import type { CommitStrategy } from '../commit/strategy.js';
import type { DeadLetterPublisher } from '../dead-letter/publisher.js';
import type { TypedEmitter } from '../events.js';
import type { Lifecycle } from '../lifecycle.js';
import type { ResolvedOptions } from '../options.js';
import type { DependencyWaits } from '../processing/dependency-wait.js';
import { laneOf } from '../processing/lanes.js';
import { ConcurrencyLimit } from '../processing/limit.js';
import { MessageProcessor } from '../processing/message.js';
import { OffsetTracker } from '../processing/offsets.js';
import { PartitionControl } from '../processing/partitions.js';
import { Scheduler } from '../processing/scheduler.js';

/** The committed-metadata read on a new assignment waits at most this long, then goes on without it. */
export const METADATA_READ_TIMEOUT_MS = 5000;

/**
 * How far a partition reads past its lowest unfinished offset, in buffers: past a stuck head or a
 * hot key's let-go messages the tracker keeps offsets only (about 40 bytes each).
 */
export const READ_AHEAD_BUFFERS = 25;

/**
 * Under 'key' ordering one lane keeps at most this share of the buffer (1/8: several hot keys
 * together stay under the half at which a paused fetch resumes); its later messages are let go.
 */
export const LANE_SHARE = 8;

/** The message path, built whole and in order: tracker -> pipeline -> control -> processor -> scheduler. */
export interface CoreParts {
  tracker: OffsetTracker;
  pipeline: CommitPipeline;
  strategy: CommitStrategy;
  control: PartitionControl;
  scheduler: Scheduler;
  /** Messages waiting for an unavailable dependency (health, metrics). */
  dependencies: DependencyWaits;
}

export interface CoreInput {
  options: ResolvedOptions<unknown>;
  client: ConsumerClient;
  publisher: DeadLetterPublisher | undefined;
  /** The retry tiers (`retry.topics`), none when there are none. */
  tiers?: TierParts | undefined;
  events: TypedEmitter;
  lifecycle: Lifecycle;
  /** Every commit that failed for good (the re-join supervisor watches for fencing). */
  onCommitFailed: (error: Error) => void;
  metadataLimit: number | undefined;
}

export function buildCore({
  options,
  client,
  publisher,
  tiers,
  events,
  lifecycle,
  onCommitFailed,
  metadataLimit,
}: CoreInput): CoreParts {
  const { logger } = options;
  const tracker = new OffsetTracker(
    () => lifecycle.generation.id,
    (tp, count) =>
      logger.debug(
        { ...tp, finished: count },
        'finished offsets do not fit the commit metadata; committed without',
      ),
    metadataLimit,
  );
  const pipeline = new CommitPipeline(tracker, (offsets) => client.commit(offsets), events, logger, {
    withMetadata: options.ordering !== 'partition',
    attempts: 5,
    initialDelayMs: 100,
    onFailed: onCommitFailed,
    onSettled: () => scheduler.commitSettled(),
    // A share group's progress is its acknowledgements (the client's): the pipeline stays idle.
    commits: options.groupType !== 'share',
  });
  const strategy = createCommitStrategy(options.commit, options.groupType);
  const control = new PartitionControl(client, events, (tp, reason) => void scheduler.rewind(tp, reason));
  const limit = new ConcurrencyLimit(options.concurrency);
  const processor = new MessageProcessor(options, events, control, publisher, lifecycle, limit, tiers);
  const scheduler: Scheduler = new Scheduler({
    laneOf: laneOf(options.ordering),
    limit,
    maxBuffered: options.maxBufferedPerPartition,
    maxTracked: READ_AHEAD_BUFFERS * options.maxBufferedPerPartition,
    laneCap:
      options.ordering === 'key'
        ? Math.max(1, Math.floor(options.maxBufferedPerPartition / LANE_SHARE))
        : Infinity,
    maxUncommitted: options.commit.maxUncommitted,
    heartbeatIntervalMs: options.heartbeatIntervalMs,
    metadataTimeoutMs: METADATA_READ_TIMEOUT_MS,
    tracker,
    pipeline,
    strategy,
    control,
    processor,
    lifecycle,
    client,
    logger,
  });
  return { tracker, pipeline, strategy, control, scheduler, dependencies: processor.dependencies };
}
