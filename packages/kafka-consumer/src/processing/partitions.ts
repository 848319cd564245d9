import type { ConsumerClient } from '../client/port.js';
import type { TypedEmitter } from '../events.js';
import type { TopicPartition } from '../types.js';

export type HoldReason = 'dead-letter-failed' | 'retries-exhausted' | 'undecodable-batch';

interface Hold {
  topic: string;
  partition: number;
  reason: HoldReason;
  /** The message that could not finish. */
  offset: string;
  error: Error;
  attempts: number;
  timer: NodeJS.Timeout | undefined;
}

const key = (topic: string, partition: number) => `${topic}\u0000${partition}`;

/**
 * Partitions the runtime holds paused: a failed dead-letter write (resumed after a delay, the
 * write is retried first) or a message that exhausted its retries with the DLQ disabled (stays
 * paused until `release`). Also tracks the current assignment.
 */
export class PartitionControl {
  readonly #holds = new Map<string, Hold>();
  assigned: TopicPartition[] = [];

  constructor(
    private readonly client: ConsumerClient,
    private readonly events: TypedEmitter,
    /**
     * Reopens a released partition. By default the client resumes fetching from its position
     * (the runner never moves it past an unfinished message); the key/unordered dispatcher moved it
     * past the whole batch, so it fetches again from the lowest unfinished offset instead.
     */
    private readonly reopen: (tp: TopicPartition) => void = (tp) => client.resume([tp]),
  ) {}

  get size(): number {
    return this.#holds.size;
  }

  /**
   * Paused right now: stopped, or waiting out a failed DLQ write's recovery delay. A partition that
   * resumed but still owes its DLQ write is not paused (the write is retried when the message comes).
   */
  isPaused(topic: string, partition: number): boolean {
    if (this.#holds.size === 0) return false;
    const hold = this.#holds.get(key(topic, partition));
    return hold !== undefined && (hold.reason !== 'dead-letter-failed' || hold.timer !== undefined);
  }

  isStopped(topic: string, partition: number): boolean {
    const reason = this.#holds.get(key(topic, partition))?.reason;
    return reason !== undefined && reason !== 'dead-letter-failed';
  }

  /** The dead-letter write still owed for this exact message, if any. */
  pendingDeadLetter(topic: string, partition: number, offset: string): Hold | undefined {
    const hold = this.#holds.get(key(topic, partition));
    return hold?.reason === 'dead-letter-failed' && hold.offset === offset ? hold : undefined;
  }

  /** Pauses the partition; with `resumeAfterMs` it is resumed (and the message refetched) after that delay. */
  hold(tp: TopicPartition & Omit<Hold, 'timer' | 'topic' | 'partition'>, resumeAfterMs?: number): void {
    const id = key(tp.topic, tp.partition);
    clearTimeout(this.#holds.get(id)?.timer);
    const hold: Hold = { ...tp, timer: undefined };
    this.#holds.set(id, hold);
    this.client.pause([tp]);
    if (this.events.has('partition.paused')) {
      this.events.emit('partition.paused', { topic: tp.topic, partition: tp.partition, reason: tp.reason });
    }
    if (resumeAfterMs !== undefined) {
      hold.timer = setTimeout(() => this.#resume(hold, false), resumeAfterMs);
      hold.timer.unref();
    }
  }

  /** The owed dead-letter write succeeded. */
  settled(topic: string, partition: number): void {
    const id = key(topic, partition);
    const hold = this.#holds.get(id);
    if (hold === undefined) return;
    clearTimeout(hold.timer);
    this.#holds.delete(id);
  }

  /** Resumes a held partition now; its unfinished message is delivered again (attempts start over). */
  release(topic: string, partition: number): boolean {
    const hold = this.#holds.get(key(topic, partition));
    if (hold === undefined) return false;
    this.#resume(hold, true);
    return true;
  }

  /** New assignment: forget partitions that left, re-pause held ones that stayed. */
  assign(assigned: TopicPartition[]): void {
    this.assigned = assigned;
    const keep = new Set(assigned.map((tp) => key(tp.topic, tp.partition)));
    for (const [id, hold] of this.#holds) {
      if (!keep.has(id)) {
        clearTimeout(hold.timer);
        this.#holds.delete(id);
      } else if (hold.reason !== 'dead-letter-failed' || hold.timer !== undefined) {
        this.client.pause([hold]);
      }
    }
  }

  held(): Array<TopicPartition & { reason: HoldReason; offset: string; error: Error }> {
    return [...this.#holds.values()].map(({ topic, partition, reason, offset, error }) => ({
      topic,
      partition,
      reason,
      offset,
      error,
    }));
  }

  /** Stops recovery timers (shutdown). */
  clearTimers(): void {
    for (const hold of this.#holds.values()) {
      clearTimeout(hold.timer);
      hold.timer = undefined;
    }
  }

  #resume(hold: Hold, forget: boolean): void {
    clearTimeout(hold.timer);
    hold.timer = undefined;
    if (forget || hold.reason !== 'dead-letter-failed') this.#holds.delete(key(hold.topic, hold.partition));
    this.reopen({ topic: hold.topic, partition: hold.partition });
    if (this.events.has('partition.resumed')) {
      this.events.emit('partition.resumed', { topic: hold.topic, partition: hold.partition });
    }
  }
}
