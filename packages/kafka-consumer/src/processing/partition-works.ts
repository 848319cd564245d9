import type { ConsumerClient } from '../client/port.js';
import type { TopicPartition } from '../types.js';
import { PartitionWork } from './lanes.js';
import type { OffsetTracker } from './offsets.js';
import type { PartitionControl } from './partitions.js';

const idOf = (tp: TopicPartition) => `${tp.topic}\u0000${tp.partition}`;

export interface PartitionWorksParts {
  tracker: OffsetTracker;
  client: ConsumerClient;
  control: PartitionControl;
  /** The live group generation (the lifecycle's counter). */
  generation: () => number;
}

/** The scheduler's work per partition in the live generation: one PartitionWork each, made on first use. */
export class PartitionWorks {
  readonly #works = new Map<string, PartitionWork>();

  constructor(private readonly parts: PartitionWorksParts) {}

  /** The partition's work in the live generation (a new one after a re-join or a rewind). */
  of(tp: TopicPartition): PartitionWork {
    const id = idOf(tp);
    const generation = this.parts.generation();
    let part = this.#works.get(id);
    if (part === undefined || part.generation !== generation) {
      const offsets = this.parts.tracker.partition(tp.topic, tp.partition);
      part = new PartitionWork({ topic: tp.topic, partition: tp.partition }, offsets, generation);
      this.#works.set(id, part);
    }
    return part;
  }

  /** Whether `part` is still the live work of its partition. */
  live(part: PartitionWork): boolean {
    return this.#works.get(idOf(part.tp)) === part && part.generation === this.parts.generation();
  }

  values(): IterableIterator<PartitionWork> {
    return this.#works.values();
  }

  /** Partitions blocked behind an unfinished head (the per-message window, see window.ts). */
  blocked(maxUncommitted: number): Array<TopicPartition & { offset: string; since: number }> {
    const out: Array<TopicPartition & { offset: string; since: number }> = [];
    for (const part of this.#works.values()) {
      if (part.blockedSince !== undefined && part.offsets.uncommitted >= maxUncommitted)
        out.push({ ...part.tp, offset: part.blockedAt ?? '?', since: part.blockedSince });
    }
    return out;
  }

  /** Revoke / shutdown: every partition's work ends; a batch call held back by a full buffer returns now. */
  clear(): void {
    for (const part of this.#works.values()) {
      part.ended = true;
      part.drained?.();
    }
    this.#works.clear();
  }

  /**
   * A held partition is released (or a tier partition's head is due): once its running calls
   * finished, fetch it again from its lowest unfinished offset; what finished above it is skipped
   * when it comes again.
   */
  async rewind(tp: TopicPartition, reason: 'hold' | 'due' = 'hold'): Promise<void> {
    const id = idOf(tp);
    const part = this.#works.get(id);
    const { tracker, client, control } = this.parts;
    // Nothing more of it starts (a lane's next message, a parked one): the running calls finish,
    // everything else is fetched again.
    if (part !== undefined) part.ended = true;
    if (part !== undefined && part.running > 0) {
      await new Promise<void>((resolve) => {
        part.idle = resolve;
      });
      part.idle = undefined;
    }
    // The partition's next batch makes it a new work (the ended one never starts anything again).
    if (part !== undefined && this.#works.get(id) === part) this.#works.delete(id);
    const offsets = tracker.get(tp.topic, tp.partition);
    const from = offsets?.lowestUnfinished();
    if (offsets !== undefined && from !== undefined) {
      const skip = new Set(offsets.finishedAbove().map(String));
      tracker.reset(tp.topic, tp.partition).skip = skip;
      client.seek(tp, from);
    }
    // It starts over with an empty buffer: a back-pressure pause of its old work is void (the
    // model test found a released partition left paused by the full buffer it had when held).
    control.unpause(tp, 'back-pressure');
    // A call of the old work that failed for good while this rewind waited held it again: it stays
    // paused until that hold is released (the model test found the resume undoing the new hold).
    if (reason === 'hold' && control.isPaused(tp.topic, tp.partition)) return;
    control.unpause(tp, reason);
  }
}
