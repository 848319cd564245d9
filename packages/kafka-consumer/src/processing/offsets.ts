import type { TopicPartition } from '../types.js';

/** One partition's finished and committed positions. */
export class PartitionOffsets {
  /** Highest finished offset as delivered (a string: finish() runs per message, reads per commit). */
  #last: string | undefined;
  #parsedFrom: string | undefined;
  #parsed = -1n;

  /** Highest finished offset; -1n before the first. Parsed when read, not per message. */
  get finished(): bigint {
    if (this.#last !== this.#parsedFrom) {
      this.#parsedFrom = this.#last;
      this.#parsed = this.#last === undefined ? -1n : BigInt(this.#last);
    }
    return this.#parsed;
  }
  /** Next offset already committed (Kafka convention), -1n when unknown. */
  committed = -1n;

  constructor(
    readonly topic: string,
    readonly partition: number,
  ) {}

  /**
   * Marks `offset` finished. Messages of a partition are handled one after the other, so this is
   * called in offset order; an older offset never moves the position back. A gap larger than one is
   * fine (compacted topics, transaction markers): Kafka delivered nothing in between.
   */
  finish(offset: string): void {
    const last = this.#last;
    if (last === undefined || isAfter(offset, last)) this.#last = offset;
  }
}

/** `a > b` for canonical non-negative decimal offsets (no leading zeros), without parsing. */
function isAfter(a: string, b: string): boolean {
  return a.length > b.length || (a.length === b.length && a > b);
}

export interface PendingOffset extends TopicPartition {
  /** The next offset to read, i.e. last finished + 1 (what Kafka stores). */
  offset: string;
}

const key = (topic: string, partition: number) => `${topic}\u0000${partition}`;

/**
 * Per-partition finished-offset tracking. Messages of a partition finish in order, so the
 * committable position is simply the last finished offset + 1; finishing out of order is refused,
 * which makes "commit past an unfinished message" impossible by construction.
 */
export class OffsetTracker {
  readonly #partitions = new Map<string, PartitionOffsets>();

  /**
   * The tracking handle of one partition (created on first use). The runner takes it once per
   * batch so the per-message path does no map lookup.
   */
  partition(topic: string, partition: number): PartitionOffsets {
    const id = key(topic, partition);
    let state = this.#partitions.get(id);
    if (state === undefined) {
      state = new PartitionOffsets(topic, partition);
      this.#partitions.set(id, state);
    }
    return state;
  }

  /** Marks `offset` of a partition finished (see PartitionOffsets.finish). */
  finish(topic: string, partition: number, offset: string): void {
    this.partition(topic, partition).finish(offset);
  }

  /** Offsets to commit: partitions whose finished position moved past the committed one. */
  pending(): PendingOffset[] {
    const out: PendingOffset[] = [];
    for (const state of this.#partitions.values()) {
      const next = state.finished + 1n;
      if (state.finished >= 0n && next > state.committed)
        out.push({ topic: state.topic, partition: state.partition, offset: next.toString() });
    }
    return out;
  }

  hasPending(): boolean {
    for (const state of this.#partitions.values())
      if (state.finished >= 0n && state.finished + 1n > state.committed) return true;
    return false;
  }

  /** Records a successful commit so those offsets are not sent again. */
  committed(offsets: readonly PendingOffset[]): void {
    for (const { topic, partition, offset } of offsets) {
      const state = this.#partitions.get(key(topic, partition));
      const value = BigInt(offset);
      if (state !== undefined && value > state.committed) state.committed = value;
    }
  }

  /**
   * A group (re)join finished with this assignment: a new generation. Finished offsets of the
   * previous generation are dropped for every partition, kept ones included: the client fetches a
   * kept partition again from the committed offset, so committing them now would run ahead of what
   * is delivered (the rebalance commit before the re-join already tried to commit them). Handles
   * taken by batches of the previous generation are detached, so their late finishes count nowhere.
   * The committed position of a kept partition stays as a floor: a commit never moves it back.
   */
  newGeneration(assigned: readonly TopicPartition[]): void {
    const previous = new Map(this.#partitions);
    this.#partitions.clear();
    for (const { topic, partition } of assigned) {
      const id = key(topic, partition);
      const old = previous.get(id);
      if (old === undefined || old.committed < 0n) continue;
      const fresh = new PartitionOffsets(topic, partition);
      fresh.committed = old.committed;
      this.#partitions.set(id, fresh);
    }
  }

  /** Last finished offset of a partition, or undefined. */
  lastFinished(topic: string, partition: number): string | undefined {
    return this.#partitions.get(key(topic, partition))?.finished.toString();
  }
}
