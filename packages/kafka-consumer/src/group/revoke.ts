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
  /** How long running handlers get before their signal aborts (the rebalance timeout minus a margin). */
  boundMs: number;
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
export async function revokeWork({ lifecycle, work, pipeline, logger, boundMs }: RevokeParts): Promise<void> {
  if (lifecycle.state === 'running') lifecycle.to('rebalancing');
  work.clear?.();
  if (!(await work.work.idle(boundMs))) {
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
