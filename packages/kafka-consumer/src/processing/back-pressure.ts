import type { ClientBatch } from '../client/port.js';
import type { Lifecycle } from '../lifecycle.js';
import type { PartitionWork } from './lanes.js';
import type { PartitionControl } from './partitions.js';

export interface BackPressureParts {
  control: PartitionControl;
  lifecycle: Lifecycle;
  maxBuffered: number;
  maxTracked: number;
  heartbeatIntervalMs: number;
}

type Limits = Pick<BackPressureParts, 'maxBuffered' | 'maxTracked'>;

/** The partition holds its whole buffer, or tracks its whole read-ahead (a stuck head, hot keys let go). */
export const overFull = (limits: Limits, part: PartitionWork): boolean =>
  part.buffered >= limits.maxBuffered || part.offsets.tracked >= limits.maxTracked;

/**
 * Half the buffer is free again and the read-ahead is under its bound: fetching goes on. (The
 * read-ahead shrinks a whole batch at a time, when its oldest batch finishes: no hysteresis.)
 */
export const drainedEnough = (limits: Limits, part: PartitionWork): boolean =>
  part.buffered * 2 <= limits.maxBuffered && part.offsets.tracked < limits.maxTracked;

/**
 * A full buffer: pause this partition's fetch while others can still be fetched. When every
 * assigned partition would be paused, KafkaJS would sleep a whole maxWaitTime before its next
 * fetch (a resume does not cut it short), so the batch call itself waits instead, heartbeating,
 * until half the buffer drained (or the batch is over); fetching then goes on at once. The
 * back-pressure pause is lifted by the scheduler when a finish drains the buffer to half.
 */
export async function holdBack(
  parts: BackPressureParts,
  part: PartitionWork,
  batch: ClientBatch,
): Promise<void> {
  const { control, lifecycle, heartbeatIntervalMs } = parts;
  let paused = 0;
  for (const tp of control.assigned) if (control.isPausedFor(tp, 'back-pressure')) paused++;
  if (!control.isPausedFor(part.tp, 'back-pressure') && paused + 1 < control.assigned.length) {
    control.pause(part.tp, 'back-pressure');
    return;
  }
  while (!drainedEnough(parts, part) && lifecycle.accepting && batch.isActive()) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, Math.min(1000, heartbeatIntervalMs));
      part.drained = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    part.drained = undefined;
    await batch.heartbeat();
  }
}
