import type { KafkaConsumer } from '../../consumer.js';
import type { HoldReason } from '../../processing/partitions.js';
import type { HealthReport, TopicPartition } from '../../types.js';
import { tpKey } from './partition-book.js';

export interface HoldView extends TopicPartition {
  reason: HoldReason;
  /** The message that could not finish, when the watch saw it fail. */
  offset?: string;
  attempts?: number;
  error?: string;
  since: number;
}

/**
 * What the events told about partitions the runtime holds paused: the failed message (offset,
 * attempts, error) and since when. `health()` stays the source of truth for which are held.
 */
export class HoldBook {
  readonly #holds = new Map<string, HoldView>();
  readonly #failed = new Map<string, { offset: string; attempts: number; error: string }>();

  /** Subscribes; returns the unsubscribe functions. */
  listen(consumer: KafkaConsumer, onResumed: (tp: TopicPartition) => void): Array<() => void> {
    return [
      consumer.on('message.failed', (m) => {
        this.#failed.set(tpKey(m.topic, m.partition), {
          offset: m.offset,
          attempts: m.attempts,
          error: `${m.error.name}: ${m.error.message}`,
        });
      }),
      consumer.on('partition.paused', ({ topic, partition, reason }) => {
        const id = tpKey(topic, partition);
        this.#holds.set(id, { topic, partition, reason, ...this.#failed.get(id), since: Date.now() });
      }),
      consumer.on('partition.resumed', (tp) => {
        const id = tpKey(tp.topic, tp.partition);
        const held = this.#holds.get(id)?.reason;
        if (held !== undefined && held !== 'dead-letter-failed') this.#holds.delete(id);
        onResumed(tp);
      }),
    ];
  }

  /** A new assignment: forget partitions that left. */
  assigned(assigned: readonly TopicPartition[]): void {
    const keep = new Set(assigned.map((tp) => tpKey(tp.topic, tp.partition)));
    for (const id of this.#holds.keys()) if (!keep.has(id)) this.#holds.delete(id);
    for (const id of this.#failed.keys()) if (!keep.has(id)) this.#failed.delete(id);
  }

  /** Paused partitions per `health`, with what the events said about each. */
  views(health: HealthReport): HoldView[] {
    const stopped = new Set(health.stoppedPartitions.map((tp) => tpKey(tp.topic, tp.partition)));
    return health.pausedPartitions.map(({ topic, partition }) => {
      const id = tpKey(topic, partition);
      const seen = this.#holds.get(id);
      const reason: HoldReason = stopped.has(id)
        ? seen?.reason === 'undecodable-batch'
          ? 'undecodable-batch'
          : 'retries-exhausted'
        : 'dead-letter-failed';
      return seen?.reason === reason ? { ...seen } : { topic, partition, reason, since: Date.now() };
    });
  }
}
