/**
 * Acknowledgements waiting for the next request to their partition's leader. `take` hands a
 * partition's whole set to one request; `settle` resolves (or rejects) the callers who queued
 * them once the broker answered. Pure bookkeeping, no I/O.
 */
import { type AcknowledgementBatch, type AcknowledgeTypeCode, toBatches } from './acknowledgement-batches.js';

export interface PartitionId {
  readonly topicId: Buffer;
  readonly partition: number;
}

export const partitionKey = (p: PartitionId): string => `${p.topicId.toString('hex')}:${p.partition}`;

interface Waiter {
  resolve(): void;
  reject(error: Error): void;
}

interface Entry extends PartitionId {
  readonly acks: Map<bigint, AcknowledgeTypeCode>;
  readonly waiters: Waiter[];
}

/** One partition's acknowledgements as one request carries them. */
export interface TakenAcks extends PartitionId {
  readonly batches: AcknowledgementBatch[];
  readonly count: number;
  readonly waiters: readonly Waiter[];
}

export class PendingAcks {
  readonly #entries = new Map<string, Entry>();

  get size(): number {
    let n = 0;
    for (const e of this.#entries.values()) n += e.acks.size;
    return n;
  }

  /** Queues `offsets` with `type`; the promise settles when a request carrying them is answered. */
  add(partition: PartitionId, offsets: readonly bigint[], type: AcknowledgeTypeCode): Promise<void> {
    const key = partitionKey(partition);
    let entry = this.#entries.get(key);
    if (entry === undefined) {
      entry = { topicId: partition.topicId, partition: partition.partition, acks: new Map(), waiters: [] };
      this.#entries.set(key, entry);
    }
    for (const offset of offsets) entry.acks.set(offset, type);
    const waiters = entry.waiters;
    return new Promise<void>((resolve, reject) => waiters.push({ resolve, reject }));
  }

  /** Removes and returns the acknowledgements of the partitions `accept` picks (all by default). */
  take(accept: (p: PartitionId) => boolean = () => true): TakenAcks[] {
    const taken: TakenAcks[] = [];
    for (const [key, entry] of this.#entries) {
      if (!accept(entry)) continue;
      this.#entries.delete(key);
      taken.push({
        topicId: entry.topicId,
        partition: entry.partition,
        batches: toBatches(entry.acks),
        count: entry.acks.size,
        waiters: entry.waiters,
      });
    }
    return taken;
  }

  /** Which partitions have acknowledgements waiting. */
  partitions(): PartitionId[] {
    return [...this.#entries.values()].map(({ topicId, partition }) => ({ topicId, partition }));
  }
}

/** Resolves the waiters of `taken`, rejecting those whose partition `errorOf` names an error for. */
export function settle(taken: readonly TakenAcks[], errorOf: (p: PartitionId) => Error | undefined): void {
  for (const t of taken) {
    const error = errorOf(t);
    for (const w of t.waiters) {
      if (error === undefined) w.resolve();
      else w.reject(error);
    }
  }
}
