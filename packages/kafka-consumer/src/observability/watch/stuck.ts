import type { TopicPartition } from '../../types.js';

export interface StuckInput extends TopicPartition {
  lag: number | undefined;
  /** Epoch ms of the last message finished here (or the assignment / resume). */
  progressAt: number;
  /** Epoch ms since when the lag has been > 0 (undefined while 0 or unknown). */
  waitingSince: number | undefined;
  /** Held paused by the runtime on purpose (stopped, DLQ failing). */
  held: boolean;
}

export interface StuckPartition extends TopicPartition {
  lag: number;
  /** Seconds the partition has had lag without a message finishing. */
  waitingSeconds: number;
}

/**
 * The stuck rule. A partition is waiting when it has lag, is not held, and nothing finished there
 * since the lag appeared or since its last progress, whichever is later, for `stuckAfterMs`. The
 * consumer is stuck when some partition is waiting that long AND no message finished on any
 * partition for `stuckAfterMs`: a consumer busy elsewhere (concurrency 1 working through another
 * partition's batch, a slow key) is progressing, not stuck. Returns the waiting partitions, or [].
 */
export function findStuck(parts: readonly StuckInput[], now: number, stuckAfterMs: number): StuckPartition[] {
  let lastProgress = Number.NEGATIVE_INFINITY;
  for (const p of parts) if (p.progressAt > lastProgress) lastProgress = p.progressAt;
  if (now - lastProgress < stuckAfterMs) return [];
  const stuck: StuckPartition[] = [];
  for (const p of parts) {
    if (p.held || p.lag === undefined || p.lag <= 0 || p.waitingSince === undefined) continue;
    const waitingMs = now - Math.max(p.progressAt, p.waitingSince);
    if (waitingMs >= stuckAfterMs) {
      stuck.push({ topic: p.topic, partition: p.partition, lag: p.lag, waitingSeconds: waitingMs / 1000 });
    }
  }
  return stuck;
}
