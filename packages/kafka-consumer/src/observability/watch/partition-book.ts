import type { TopicPartition } from '../../types.js';

/** What the watch knows about one assigned partition. Offsets are Kafka's "next offset" convention. */
export interface PartitionFacts extends TopicPartition {
  /** End offset (high watermark) from the latest fetch or admin refresh. */
  end: number | undefined;
  /** Log start offset (admin refresh only). */
  start: number | undefined;
  /** The group's committed offset (from commits this consumer made, or the admin refresh). */
  committed: number | undefined;
  /** Where this member started reading when the group had no committed offset (first fetched offset). */
  position: number | undefined;
  /** Epoch ms of the last message finished here, or of the assignment / resume if later. */
  progressAt: number;
  /** Messages finished here (processed or dead-lettered); `sample` turns a change into progressAt. */
  finished: number;
  sampled: number;
  /** Since when the lag has been > 0 (set by `sample`; undefined while 0 or unknown). */
  waitingSince: number | undefined;
  /** Bumped by every commit event, so an admin answer older than a commit does not overwrite it. */
  commitSeq: number;
}

export const tpKey = (topic: string, partition: number): string => `${topic}\u0000${partition}`;

/**
 * Per-partition end, committed offset and progress of this member's assignment. Pure bookkeeping:
 * the watch feeds it from the consumer's events and the admin refresh.
 */
export class PartitionBook {
  readonly #parts = new Map<string, PartitionFacts>();
  #last: PartitionFacts | undefined;

  constructor(private readonly fromBeginning: boolean) {}

  get size(): number {
    return this.#parts.size;
  }

  all(): IterableIterator<PartitionFacts> {
    return this.#parts.values();
  }

  get(topic: string, partition: number): PartitionFacts | undefined {
    return this.#parts.get(tpKey(topic, partition));
  }

  /** The member's assignment is now exactly `assigned`; returns the partitions that left. */
  assign(assigned: readonly TopicPartition[], now: number): PartitionFacts[] {
    this.#last = undefined;
    const keep = new Set<string>();
    for (const { topic, partition } of assigned) {
      const id = tpKey(topic, partition);
      keep.add(id);
      const known = this.#parts.get(id);
      if (known === undefined) {
        this.#parts.set(id, {
          topic,
          partition,
          end: undefined,
          start: undefined,
          committed: undefined,
          position: undefined,
          progressAt: now,
          finished: 0,
          sampled: 0,
          waitingSince: undefined,
          commitSeq: 0,
        });
      } else {
        known.progressAt = now;
        known.position = undefined;
      }
    }
    const gone: PartitionFacts[] = [];
    for (const [id, facts] of this.#parts) {
      if (!keep.has(id)) {
        this.#parts.delete(id);
        gone.push(facts);
      }
    }
    return gone;
  }

  fetched(topic: string, partition: number, highWatermark: number, firstOffset: number): void {
    const facts = this.#parts.get(tpKey(topic, partition));
    if (facts === undefined) return;
    if (facts.end === undefined || highWatermark > facts.end) facts.end = highWatermark;
    if (facts.position === undefined) facts.position = firstOffset;
  }

  committed(topic: string, partition: number, offset: number): void {
    const facts = this.#parts.get(tpKey(topic, partition));
    if (facts === undefined) return;
    facts.committed = offset;
    facts.commitSeq++;
  }

  progressed(topic: string, partition: number, now: number): void {
    const facts = this.#parts.get(tpKey(topic, partition));
    if (facts !== undefined) facts.progressAt = now;
  }

  /** A message finished (hot path: no clock read, no key built when the partition repeats). */
  finish(topic: string, partition: number): void {
    let facts = this.#last;
    if (facts === undefined || facts.partition !== partition || facts.topic !== topic) {
      facts = this.#parts.get(tpKey(topic, partition));
      if (facts === undefined) return;
      this.#last = facts;
    }
    facts.finished++;
  }

  /**
   * Partitions whose finished count moved since the last sample progressed at `now`; a lag that
   * appeared since the last sample starts waiting at `now`.
   */
  sample(now: number): void {
    for (const facts of this.#parts.values()) {
      if (facts.finished !== facts.sampled) {
        facts.sampled = facts.finished;
        facts.progressAt = now;
      }
      const lag = this.lag(facts);
      if (lag === undefined || lag <= 0) facts.waitingSince = undefined;
      else facts.waitingSince ??= now;
    }
  }

  /** Admin answer; `seq` is the partition's commitSeq when the request was sent. */
  refreshed(
    topic: string,
    partition: number,
    answer: { end?: number; start?: number; committed?: number | null; seq?: number },
  ): void {
    const facts = this.#parts.get(tpKey(topic, partition));
    if (facts === undefined) return;
    if (answer.end !== undefined && (facts.end === undefined || answer.end > facts.end))
      facts.end = answer.end;
    if (answer.start !== undefined) facts.start = answer.start;
    if (answer.committed !== undefined && answer.seq === facts.commitSeq) {
      facts.committed = answer.committed === null ? undefined : answer.committed;
    }
  }

  /**
   * end - committed. Without a committed offset: end - where this member started reading, or,
   * before its first fetch, end - log start with `fromBeginning` (else 0: it starts at the end).
   * Undefined while the end is unknown.
   */
  lag(facts: PartitionFacts): number | undefined {
    const { end } = facts;
    if (end === undefined) return undefined;
    const from = facts.committed ?? facts.position ?? (this.fromBeginning ? (facts.start ?? undefined) : end);
    if (from === undefined) return undefined;
    return Math.max(0, end - from);
  }
}
