import type { TopicPartition } from '../types.js';
import { encodeFinished, METADATA_LIMIT } from './metadata.js';

/** The messages of one fetched batch as tracked for commits: which are finished. */
export class BatchTrack {
  readonly done: Uint8Array;
  /** Index of the lowest unfinished message. */
  head = 0;
  /** Messages past `end` were never started (the batch ended early) and are no longer tracked. */
  end: number;

  constructor(readonly offsets: readonly { offset: string }[]) {
    this.done = new Uint8Array(offsets.length);
    this.end = offsets.length;
  }
}

/**
 * One partition's commit position: the lowest unfinished offset. Messages may finish in any order
 * (key or unordered dispatch); the committable offset never passes one that is in flight, retrying
 * or waiting. Finished offsets above it are what the commit metadata carries.
 */
export class PartitionTrack {
  readonly #batches: BatchTrack[] = [];
  /** Next offset after the last finished message when no batch is pending (Kafka convention). */
  #next: string | undefined;
  /** Next offset acknowledged by the broker, -1n when unknown. */
  committed = -1n;
  /** The metadata of the last acknowledged commit (a commit repeating both is never sent). */
  committedMetadata: string | null = null;
  /** Messages finished / finished and covered by an acknowledged commit (back-pressure of per-message). */
  finishedCount = 0;
  ackedCount = 0;
  /** Offsets finished before a restart (from commit metadata): skipped when delivered again. */
  skip: Set<string> | undefined;

  constructor(
    readonly topic: string,
    readonly partition: number,
  ) {}

  /** Starts tracking a batch; its messages must follow the ones tracked so far. */
  add(messages: readonly { offset: string }[]): BatchTrack {
    const track = new BatchTrack(messages);
    this.#batches.push(track);
    return track;
  }

  /** Marks message `index` of `track` finished; true when that moved the batch's lowest unfinished one. */
  finish(track: BatchTrack, index: number): boolean {
    track.done[index] = 1;
    this.finishedCount++;
    if (index !== track.head) return false;
    let head = index + 1;
    while (head < track.end && track.done[head] === 1) head++;
    track.head = head;
    if (head >= track.end) this.#dropFinished();
    return true;
  }

  /** The batch ended after `started` messages: the rest will be fetched again, stop tracking them. */
  close(track: BatchTrack, started: number): void {
    if (started >= track.end) return;
    track.end = started;
    if (track.head >= track.end) this.#dropFinished();
  }

  #dropFinished(): void {
    const batches = this.#batches;
    while (batches.length > 0) {
      const front = batches[0] as BatchTrack;
      if (front.head < front.end) return;
      if (front.end > 0) this.#next = nextOf((front.offsets[front.end - 1] as { offset: string }).offset);
      batches.shift();
    }
  }

  /** The offset to commit: the lowest unfinished one (next to read), or undefined before any batch. */
  committable(): string | undefined {
    for (const batch of this.#batches) {
      if (batch.head < batch.end) return (batch.offsets[batch.head] as { offset: string }).offset;
    }
    return this.#next;
  }

  /** Where fetching must start again to redeliver everything unfinished. */
  lowestUnfinished(): string | undefined {
    for (const batch of this.#batches)
      if (batch.head < batch.end) return (batch.offsets[batch.head] as { offset: string }).offset;
    return this.#next;
  }

  /** Finished offsets above the committable one, ascending. */
  finishedAbove(): bigint[] {
    const out: bigint[] = [];
    let seenUnfinished = false;
    for (const batch of this.#batches) {
      for (let i = batch.head; i < batch.end; i++) {
        if (batch.done[i] === 1) {
          if (seenUnfinished) out.push(BigInt((batch.offsets[i] as { offset: string }).offset));
        } else seenUnfinished = true;
      }
    }
    return out;
  }

  get uncommitted(): number {
    return this.finishedCount - this.ackedCount;
  }
}

const nextOf = (offset: string) => (BigInt(offset) + 1n).toString();

export interface PendingOffset extends TopicPartition {
  /** The next offset to read (what Kafka stores). */
  offset: string;
  /** Finished offsets above it, encoded (see metadata.ts); null when none or too many. */
  metadata: string | null;
}

const key = (topic: string, partition: number) => `${topic}\u0000${partition}`;
const ignore = (): void => undefined;

/** Every partition's commit position, for the current generation of the group. */
export class OffsetTracker {
  readonly #partitions = new Map<string, PartitionTrack>();
  #ownGeneration = 0;

  constructor(
    /** The live group generation (the lifecycle's counter); by default the tracker's own. */
    private readonly currentGeneration: () => number = () => this.#ownGeneration,
    private readonly onMetadataTooLarge: (tp: TopicPartition, count: number) => void = ignore,
    /** Longest commit metadata (characters); Kafka's default offset.metadata.max.bytes is 4096. */
    private readonly metadataLimit = METADATA_LIMIT,
  ) {}

  /** The generation commits are built in: one acknowledged in another is not recorded. */
  get generation(): number {
    return this.currentGeneration();
  }

  /** The track of one partition (created on first use). */
  partition(topic: string, partition: number): PartitionTrack {
    const id = key(topic, partition);
    let state = this.#partitions.get(id);
    if (state === undefined) {
      state = new PartitionTrack(topic, partition);
      this.#partitions.set(id, state);
    }
    return state;
  }

  get(topic: string, partition: number): PartitionTrack | undefined {
    return this.#partitions.get(key(topic, partition));
  }

  /** Offsets to commit: partitions whose committable offset or metadata changed since the last ack. */
  pending(withMetadata: boolean): PendingOffset[] {
    const out: PendingOffset[] = [];
    for (const state of this.#partitions.values()) {
      const offset = this.pendingOf(state, withMetadata);
      if (offset !== undefined) out.push(offset);
    }
    return out;
  }

  /** What a commit would carry for one partition; undefined when nothing changed or it cannot be said. */
  pendingOf(state: PartitionTrack, withMetadata: boolean): PendingOffset | undefined {
    const next = state.committable();
    // Nothing finished in this generation: nothing a commit could add.
    if (next === undefined || state.finishedCount === 0) return undefined;
    const value = BigInt(next);
    let metadata: string | null = null;
    if (value < state.committed) return undefined;
    if (withMetadata) {
      const above = state.finishedAbove();
      const encoded = encodeFinished(value, above, this.metadataLimit);
      if (encoded === undefined) {
        // Too many to say: the last acknowledged metadata (a true subset) stays until the offset moves.
        if (value === state.committed) return undefined;
        this.onMetadataTooLarge(state, above.length);
      } else if (encoded !== '') metadata = encoded;
    }
    if (value === state.committed && metadata === state.committedMetadata) return undefined;
    return { topic: state.topic, partition: state.partition, offset: next, metadata };
  }

  /** Snapshots the finished counts a commit covers (see `acknowledged`). */
  counts(offsets: readonly PendingOffset[]): number[] {
    return offsets.map((o) => this.get(o.topic, o.partition)?.finishedCount ?? 0);
  }

  /** The broker acknowledged `offsets` (built in `generation` with finished `counts`). */
  acknowledged(offsets: readonly PendingOffset[], counts: readonly number[], generation: number): boolean {
    if (generation !== this.generation) return false;
    offsets.forEach(({ topic, partition, offset, metadata }, i) => {
      const state = this.get(topic, partition);
      if (state === undefined) return;
      const value = BigInt(offset);
      if (value >= state.committed) {
        state.committed = value;
        state.committedMetadata = metadata;
      }
      state.ackedCount = Math.max(state.ackedCount, counts[i] ?? 0);
    });
    return true;
  }

  /**
   * A group (re)join finished: a new generation. Every partition starts over (the client fetches
   * from the committed offset); kept partitions keep their acknowledged position as a floor.
   */
  newGeneration(assigned: readonly TopicPartition[]): void {
    this.#ownGeneration++;
    const previous = new Map(this.#partitions);
    this.#partitions.clear();
    for (const { topic, partition } of assigned) {
      const old = previous.get(key(topic, partition));
      if (old === undefined || old.committed < 0n) continue;
      const fresh = this.partition(topic, partition);
      fresh.committed = old.committed;
      fresh.committedMetadata = old.committedMetadata;
    }
  }

  /** Forgets one partition's tracking (after a seek back to its committable offset). */
  reset(topic: string, partition: number): PartitionTrack {
    const old = this.#partitions.get(key(topic, partition));
    this.#partitions.delete(key(topic, partition));
    const fresh = this.partition(topic, partition);
    if (old !== undefined) {
      fresh.committed = old.committed;
      fresh.committedMetadata = old.committedMetadata;
    }
    return fresh;
  }
}
