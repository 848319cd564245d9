import { bounded } from './bounded.js';
import type { ConsumerClient, TopicAdmin } from './client/port.js';
import type { CommitPipeline } from './commit/pipeline.js';
import type { DeadLetterPublisher } from './dead-letter/publisher.js';
import { toError } from './errors.js';
import type { TypedEmitter } from './events.js';
import type { Lifecycle } from './lifecycle.js';
import type { Logger } from './logger.js';
import type { PartitionControl } from './processing/partitions.js';
import type { WorkCounter } from './processing/work.js';
import type { ShutdownReport } from './types.js';

/**
 * What `disconnect()` adds to `drainTimeoutMs` at most: the wait after aborting handlers, the final
 * commit, leaving the group and closing the producers share this budget. An orchestrator's grace
 * period is drainTimeoutMs + STOP_BOUND_MS (plus its own margin).
 */
export const STOP_BOUND_MS = 5000;
const ABORTED_WAIT_MS = 1000;

export interface StopParts {
  lifecycle: Lifecycle;
  client: ConsumerClient;
  publisher: DeadLetterPublisher | undefined;
  /** The retry-tier writer, when there are tiers. */
  tiers?: { writer: { close(): Promise<void> } } | undefined;
  admin: TopicAdmin;
  pipeline: CommitPipeline;
  control: PartitionControl;
  work: { readonly work: WorkCounter; readonly inFlight: number; clear?: () => void };
  events: TypedEmitter;
  logger: Logger;
  drainTimeoutMs: number;
  /** run() was called: there is work to drain and a group to leave. */
  started: boolean;
}

/**
 * The graceful stop: fetching stops (every assigned partition paused), running handlers get until
 * `drainTimeoutMs`, then their signal aborts; the last commit, leaving the group and closing the
 * producers then share STOP_BOUND_MS. Never hangs, never rejects.
 */
export async function stopConsumer(parts: StopParts): Promise<ShutdownReport> {
  const { lifecycle, client, publisher, admin, pipeline, control, work, events, logger } = parts;
  const begin = Date.now();
  lifecycle.to('stopping');
  control.clearTimers();
  let drained = true;
  let abandoned = 0;
  if (parts.started) {
    control.pauseAll('drain');
    work.clear?.();
    drained = await work.work.idle(parts.drainTimeoutMs);
    if (!drained) {
      abandoned = work.inFlight;
      logger.warn(
        { drainTimeoutMs: parts.drainTimeoutMs, abandoned },
        'drain deadline passed; aborting running handlers',
      );
      lifecycle.drainDeadline(parts.drainTimeoutMs);
    }
  }
  const end = Date.now() + STOP_BOUND_MS;
  const left = () => Math.max(50, end - Date.now());
  const step = async (what: string, run: () => Promise<unknown>) => {
    try {
      await bounded(run(), left(), what);
    } catch (error) {
      logger.error({ err: error }, `${what} failed`);
      events.emit('error', { error: toError(error) });
    }
  };
  if (!drained) await work.work.idle(Math.min(ABORTED_WAIT_MS, left()));
  if (parts.started)
    await step('the final commit', async () => {
      if (!(await pipeline.flush('shutdown')))
        logger.warn({}, 'the final commit left finished offsets unacknowledged; they are redelivered');
    });
  pipeline.close();
  await step('leaving the group', () => client.stop());
  if (publisher !== undefined) await step('closing the dead-letter producer', () => publisher.close());
  const tierWriter = parts.tiers?.writer;
  if (tierWriter !== undefined) await step('closing the retry-tier producer', () => tierWriter.close());
  await step('closing the admin client', () => admin.close());
  lifecycle.to('stopped');
  const report: ShutdownReport = { drained, abandoned, durationMs: Date.now() - begin };
  logger.info({ ...report }, 'consumer stopped');
  events.emit('consumer.stopped', report);
  return report;
}
