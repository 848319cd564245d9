import type { Lifecycle } from './lifecycle.js';
import type { HoldReason } from './processing/partitions.js';
import type { HealthReport, TopicPartition } from './types.js';

export interface HealthInput {
  lifecycle: Lifecycle;
  /** Why the group re-join is considered stuck, if it is. */
  stuck: string | undefined;
  assigned: readonly TopicPartition[];
  held: ReadonlyArray<TopicPartition & { reason: HoldReason; error?: Error }>;
  /** Partitions whose dispatch waits behind an unfinished head (the per-message window is full). */
  blocked: ReadonlyArray<TopicPartition & { offset: string; since: number }>;
  inFlight: number;
  lastProgressAt: number | null;
  lastCommitAt: number | null;
}

const strip = ({ topic, partition }: TopicPartition): TopicPartition => ({ topic, partition });

/** The `health()` snapshot, derived from the lifecycle and the parts' own state. */
export function healthReport(input: HealthInput): HealthReport {
  const { held, stuck, lifecycle } = input;
  const { state, crashed, startError } = lifecycle;
  const problems: string[] = [];
  if (startError !== undefined) problems.push(`start failed: ${startError.message}`);
  if (crashed !== undefined) problems.push(`client crashed: ${crashed.message}`);
  if (stuck !== undefined) problems.push(`group re-join stuck: ${stuck}`);
  for (const h of held) {
    const detail = h.reason === 'undecodable-batch' ? ` (${h.error?.message})` : '';
    problems.push(`${h.topic}[${h.partition}] paused: ${h.reason}${detail}`);
  }
  for (const b of input.blocked) {
    problems.push(
      `${b.topic}[${b.partition}] blocked behind offset ${b.offset} since ${new Date(b.since).toISOString()} (the finished offsets above it no longer fit the commit metadata)`,
    );
  }
  const stopped = lifecycle.stopping;
  return {
    status: stopped
      ? 'stopped'
      : problems.length > 0
        ? 'unhealthy'
        : lifecycle.joined
          ? 'healthy'
          : 'starting',
    state,
    connected: lifecycle.connected,
    running: state === 'running' || state === 'rebalancing',
    assignedPartitions: input.assigned.map(strip),
    pausedPartitions: held.map(strip),
    stoppedPartitions: held.filter((h) => h.reason !== 'dead-letter-failed').map(strip),
    inFlight: input.inFlight,
    lastProgressAt: input.lastProgressAt,
    lastCommitAt: input.lastCommitAt,
    problems,
  };
}
