import type { CommitPipeline } from '../commit/pipeline.js';
import { ClientError } from '../errors.js';
import type { Lifecycle } from '../lifecycle.js';
import type { Logger } from '../logger.js';
import type { WorkCounter } from '../processing/work.js';

export interface RevokeParts {
  lifecycle: Lifecycle;
  work: { readonly work: WorkCounter; readonly inFlight: number; clear?: () => void };
  pipeline: CommitPipeline;
  logger: Logger;
  /** Keeps the member's session alive while it waits (the client sends none while its JoinGroup is held). */
  heartbeat: () => Promise<void>;
  heartbeatIntervalMs: number;
  /** How long running handlers get before their signal aborts (the rebalance timeout minus a margin). */
  boundMs: number;
}

/**
 * Waits for running handlers up to `boundMs`, heartbeating meanwhile: during a rebalance the
 * coordinator answers REBALANCE_IN_PROGRESS but still counts the heartbeat, so the member is not
 * evicted (and its revoke commit not fenced) while a long handler finishes.
 */
async function idleWithHeartbeats({
  work,
  boundMs,
  heartbeat,
  heartbeatIntervalMs,
}: RevokeParts): Promise<boolean> {
  const deadline = Date.now() + boundMs;
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0) return work.work.running === 0;
    if (await work.work.idle(Math.min(left, heartbeatIntervalMs))) return true;
    await heartbeat().catch(() => undefined);
  }
}

/**
 * The revoke before any (re-)join (the client waits for it before its JoinGroup): start nothing
 * more, drop what waits (it is fetched again from the committed offset), wait for running handlers
 * up to `boundMs` and abort their signal past it, then flush the commit pipeline.
 *
 * Interleavings this covers: KafkaJS notices the rebalance in its own heartbeat after a batch (no
 * batch of ours sees it): the JoinGroup still waits here. A handler finishes after the bound: its
 * generation is over, its finish is not recorded, so no commit of the old generation can land after
 * the re-join. A commit in flight when the revoke starts: flush waits for it, then sends the latest.
 */
export async function revokeWork(parts: RevokeParts): Promise<void> {
  const { lifecycle, work, pipeline, logger, boundMs } = parts;
  if (lifecycle.state === 'running') lifecycle.to('rebalancing');
  work.clear?.();
  if (!(await idleWithHeartbeats(parts))) {
    logger.warn(
      { inFlight: work.inFlight, waitedMs: boundMs },
      'handlers outlived the revoke bound; aborting them',
    );
    lifecycle.generation.abort(new ClientError(`Partitions revoked; handlers ran past ${boundMs} ms`));
    await work.work.idle(1000);
  }
  // After a crash the client's session is gone (KafkaJS joins as a new member): nothing can be
  // committed in it; what finished is redelivered (the tracker starts over with the new generation).
  if (lifecycle.state !== 'crashed') await pipeline.flush('rebalance');
}
