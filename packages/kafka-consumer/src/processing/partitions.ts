import type { ConsumerClient } from '../client/port.js';
import type { TypedEmitter } from '../events.js';
import type { TopicPartition } from '../types.js';

export type HoldReason = 'dead-letter-failed' | 'retries-exhausted' | 'undecodable-batch';
/** Why a partition's fetch is paused; it resumes only when no reason is left. */
export type PauseReason = 'back-pressure' | 'hold' | 'drain' | 'due';

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
 * The one owner of "paused": every pause of a partition's fetch goes through here with its reason
 * (back-pressure, hold, drain), and the client resumes a partition only when no reason is left, so
 * a back-pressure resume can never undo a hold. Holds: a failed dead-letter write (resumed after a
 * delay, the write is retried first), a message that exhausted its retries with the DLQ disabled
 * (stays until `release`), a batch that cannot be decoded. Also the current assignment.
 */
export class PartitionControl {
  readonly #holds = new Map<string, Hold>();
  readonly #reasons = new Map<string, Set<PauseReason>>();
  /** Retry-tier partitions whose head is not due yet: the timer that reopens each. */
  readonly #due = new Map<string, NodeJS.Timeout>();
  #assigned: TopicPartition[] = [];

  constructor(
    private readonly client: ConsumerClient,
    private readonly events: TypedEmitter,
    /**
     * Reopens a released partition: fetches it again from its lowest unfinished offset, then
     * lifts the reason it was paused for (`unpause(tp, reason)`: 'hold', or 'due').
     */
    private readonly reopen: (tp: TopicPartition, reason: 'hold' | 'due') => void,
  ) {}

  get assigned(): readonly TopicPartition[] {
    return this.#assigned;
  }

  get size(): number {
    return this.#holds.size;
  }

  /** Adds a pause reason; the client pauses on the first one. */
  pause(tp: TopicPartition, reason: PauseReason): void {
    const id = key(tp.topic, tp.partition);
    let reasons = this.#reasons.get(id);
    if (reasons === undefined) {
      reasons = new Set();
      this.#reasons.set(id, reasons);
    }
    if (reasons.has(reason)) return;
    reasons.add(reason);
    if (reasons.size === 1) this.client.pause([{ topic: tp.topic, partition: tp.partition }]);
  }

  /** Removes a pause reason; the client resumes once none is left. */
  unpause(tp: TopicPartition, reason: PauseReason): void {
    const id = key(tp.topic, tp.partition);
    const reasons = this.#reasons.get(id);
    if (reasons === undefined || !reasons.delete(reason)) return;
    if (reasons.size > 0) return;
    this.#reasons.delete(id);
    this.client.resume([{ topic: tp.topic, partition: tp.partition }]);
  }

  isPausedFor(tp: TopicPartition, reason: PauseReason): boolean {
    return this.#reasons.get(key(tp.topic, tp.partition))?.has(reason) === true;
  }

  /** Every partition of the assignment paused for one reason (drain). */
  pauseAll(reason: PauseReason): void {
    for (const tp of this.#assigned) this.pause(tp, reason);
  }

  /**
   * Held right now: stopped, or waiting out a failed DLQ write's recovery delay. A partition that
   * resumed but still owes its DLQ write is not (the write is retried when the message comes).
   */
  isPaused(topic: string, partition: number): boolean {
    if (this.#holds.size === 0 && this.#due.size === 0) return false;
    if (this.#due.has(key(topic, partition))) return true;
    const hold = this.#holds.get(key(topic, partition));
    return hold !== undefined && (hold.reason !== 'dead-letter-failed' || hold.timer !== undefined);
  }

  /** The dead-letter write still owed for this exact message, if any. */
  pendingDeadLetter(topic: string, partition: number, offset: string): Hold | undefined {
    const hold = this.#holds.get(key(topic, partition));
    return hold?.reason === 'dead-letter-failed' && hold.offset === offset ? hold : undefined;
  }

  /** Holds the partition; with `resumeAfterMs` it is reopened (and the message refetched) after that delay. */
  hold(tp: TopicPartition & Omit<Hold, 'timer' | 'topic' | 'partition'>, resumeAfterMs?: number): void {
    const id = key(tp.topic, tp.partition);
    clearTimeout(this.#holds.get(id)?.timer);
    const hold: Hold = { ...tp, timer: undefined };
    this.#holds.set(id, hold);
    this.pause(tp, 'hold');
    if (this.events.has('partition.paused')) {
      this.events.emit('partition.paused', { topic: tp.topic, partition: tp.partition, reason: tp.reason });
    }
    if (resumeAfterMs !== undefined) {
      hold.timer = setTimeout(() => this.#resume(hold, false), resumeAfterMs);
      hold.timer.unref();
    }
  }

  /**
   * A retry-tier partition whose head is due at `dueAt` (epoch ms): its fetch is paused (reason
   * 'due') and its buffered messages are dropped; at `dueAt` it is fetched again from its lowest
   * unfinished offset. No fetch, no handler, no polling in between; a revoke or stop clears the timer.
   */
  waitUntilDue(tp: TopicPartition, dueAt: number): void {
    const id = key(tp.topic, tp.partition);
    if (this.#due.has(id)) return;
    const timer = setTimeout(
      () => {
        this.#due.delete(id);
        this.reopen({ topic: tp.topic, partition: tp.partition }, 'due');
      },
      // +1: a timer may fire up to a millisecond early by the wall clock; the head must be due then.
      Math.max(0, dueAt - Date.now()) + 1,
    );
    timer.unref();
    this.#due.set(id, timer);
    this.pause(tp, 'due');
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

  /** A share group's assignment changed without a rebalance: pauses and holds stay as they are. */
  reassigned(assigned: TopicPartition[]): void {
    this.#assigned = assigned;
  }

  /**
   * New assignment: the client fetches every assigned partition again (KafkaJS forgets its pauses
   * on a re-join), so back-pressure pauses are gone; holds of partitions that stayed pause again.
   */
  assign(assigned: TopicPartition[]): void {
    this.#assigned = assigned;
    this.#reasons.clear();
    // A tier partition that waited is fetched again from its committed offset: its head pauses it again.
    this.clearDue();
    const keep = new Set(assigned.map((tp) => key(tp.topic, tp.partition)));
    for (const [id, hold] of this.#holds) {
      if (!keep.has(id)) {
        clearTimeout(hold.timer);
        this.#holds.delete(id);
      } else if (hold.reason !== 'dead-letter-failed' || hold.timer !== undefined) this.pause(hold, 'hold');
    }
    this.client.resume(assigned.filter((tp) => !this.#reasons.has(key(tp.topic, tp.partition))));
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

  /**
   * Revoke, new assignment, stop: no due timer fires any more (its partition is fetched again from
   * the committed offset after the re-join, and a head still not due pauses it again).
   */
  clearDue(): void {
    for (const timer of this.#due.values()) clearTimeout(timer);
    this.#due.clear();
  }

  /** Stops recovery and due timers (shutdown). */
  clearTimers(): void {
    this.clearDue();
    for (const hold of this.#holds.values()) {
      clearTimeout(hold.timer);
      hold.timer = undefined;
    }
  }

  /** Reopens a held partition: the scheduler fetches it again, then lifts the 'hold' reason. */
  #resume(hold: Hold, forget: boolean): void {
    clearTimeout(hold.timer);
    hold.timer = undefined;
    if (forget || hold.reason !== 'dead-letter-failed') this.#holds.delete(key(hold.topic, hold.partition));
    this.reopen({ topic: hold.topic, partition: hold.partition }, 'hold');
    if (this.events.has('partition.resumed')) {
      this.events.emit('partition.resumed', { topic: hold.topic, partition: hold.partition });
    }
  }
}
