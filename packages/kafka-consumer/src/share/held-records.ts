/**
 * The records a share member handed out and has not acknowledged yet, by partition: what its locks
 * hold, what `close()` releases. A record's first acknowledgement takes it out; later ones find
 * nothing. Pure bookkeeping.
 */
import { type PartitionId, partitionKey } from './pending-acks.js';
import type { ShareRecord } from './records.js';

export class HeldRecords {
  readonly #byPartition = new Map<string, { id: PartitionId; records: Map<bigint, ShareRecord> }>();
  readonly #partitionOf = new WeakMap<ShareRecord, PartitionId>();

  add(id: PartitionId, records: readonly ShareRecord[]): void {
    const key = partitionKey(id);
    const entry = this.#byPartition.get(key) ?? { id, records: new Map<bigint, ShareRecord>() };
    for (const r of records) {
      entry.records.set(BigInt(r.offset), r);
      this.#partitionOf.set(r, id);
    }
    this.#byPartition.set(key, entry);
  }

  /** The partition a record of this member belongs to (undefined: never handed out here). */
  partitionOf(record: ShareRecord): PartitionId | undefined {
    return this.#partitionOf.get(record);
  }

  /**
   * Takes `records` out, grouped by partition; those already taken (or never held) are skipped. A
   * record this member was handed again (its lock ran out and the broker redelivered it here) is
   * the later delivery's: the earlier one's acknowledgement takes nothing (`superseded` says so).
   */
  take(
    records: readonly ShareRecord[],
    superseded?: (record: ShareRecord) => void,
  ): Array<{ id: PartitionId; offsets: bigint[] }> {
    const taken = new Map<string, { id: PartitionId; offsets: bigint[] }>();
    for (const r of records) {
      const id = this.#partitionOf.get(r);
      if (id === undefined) continue;
      const key = partitionKey(id);
      const held = this.#byPartition.get(key)?.records;
      const current = held?.get(BigInt(r.offset));
      if (current === undefined) continue;
      if (current !== r) {
        superseded?.(r);
        continue;
      }
      held?.delete(BigInt(r.offset));
      const entry = taken.get(key) ?? { id, offsets: [] };
      entry.offsets.push(BigInt(r.offset));
      taken.set(key, entry);
    }
    return [...taken.values()];
  }

  /** Takes every held record out, grouped by partition. */
  takeAll(): Array<{ id: PartitionId; offsets: bigint[] }> {
    const all = [...this.#byPartition.values()]
      .filter((e) => e.records.size > 0)
      .map((e) => ({ id: e.id, offsets: [...e.records.keys()] }));
    this.#byPartition.clear();
    return all;
  }

  all(): ShareRecord[] {
    return [...this.#byPartition.values()].flatMap((e) => [...e.records.values()]);
  }
}
