import type { HoldReason } from './processing/partitions.js';
import type { HealthReport, TopicPartition } from './types.js';

export interface HealthInput {
  stopped: boolean;
  joined: boolean;
  connected: boolean;
  running: boolean;
  crashed: Error | undefined;
  /** Why the group re-join is considered stuck, if it is. */
  stuck: string | undefined;
  assigned: readonly TopicPartition[];
  held: ReadonlyArray<TopicPartition & { reason: HoldReason; error?: Error }>;
  inFlight: number;
  lastProgressAt: number | null;
  lastCommitAt: number | null;
}

const strip = ({ topic, partition }: TopicPartition): TopicPartition => ({ topic, partition });

/** The `health()` snapshot from the consumer's state. */
export function healthReport(input: HealthInput): HealthReport {
  const { held, crashed, stuck } = input;
  const problems: string[] = [];
  if (crashed !== undefined) problems.push(`client crashed: ${crashed.message}`);
  if (stuck !== undefined) problems.push(`group re-join stuck: ${stuck}`);
  for (const h of held) {
    const detail = h.reason === 'undecodable-batch' ? ` (${h.error?.message})` : '';
    problems.push(`${h.topic}[${h.partition}] paused: ${h.reason}${detail}`);
  }
  return {
    status: input.stopped
      ? 'stopped'
      : problems.length > 0
        ? 'unhealthy'
        : input.joined
          ? 'healthy'
          : 'starting',
    connected: input.connected,
    running: input.running,
    assignedPartitions: input.assigned.map(strip),
    pausedPartitions: held.map(strip),
    stoppedPartitions: held.filter((h) => h.reason !== 'dead-letter-failed').map(strip),
    inFlight: input.inFlight,
    lastProgressAt: input.lastProgressAt,
    lastCommitAt: input.lastCommitAt,
    problems,
  };
}
