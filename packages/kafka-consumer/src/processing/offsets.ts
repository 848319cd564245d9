import type { CommitOffset, TopicPartition } from '../types.js';
import { encodeFinished, METADATA_LIMIT } from './metadata.js';
import { PartitionTrack } from './partition-track.js';

/** A commit the tracker builds (the port's CommitOffset). */
export type PendingOffset = CommitOffset;

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
