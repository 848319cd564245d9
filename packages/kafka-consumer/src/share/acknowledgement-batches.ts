/**
 * Acknowledgement batches as ShareFetch and ShareAcknowledge carry them: runs of consecutive
 * offsets, each with one type for the whole run or one type per offset. Pure; shared by both APIs.
 */
import { type Decoder, type Encoder, skipTags, writeCompactArray, writeTags } from './wire.js';

/** Kafka's acknowledge types (KIP-932; RENEW from KIP-1222, ShareFetch/ShareAcknowledge v2). */
export const AcknowledgeType = { GAP: 0, ACCEPT: 1, RELEASE: 2, REJECT: 3, RENEW: 4 } as const;
export type AcknowledgeTypeCode = (typeof AcknowledgeType)[keyof typeof AcknowledgeType];

export interface AcknowledgementBatch {
  firstOffset: bigint;
  lastOffset: bigint;
  /** One entry for the whole run, or one per offset. */
  types: AcknowledgeTypeCode[];
}

/** Offsets with their types (any order) to the fewest batches: one per run of consecutive offsets. */
export function toBatches(acks: ReadonlyMap<bigint, AcknowledgeTypeCode>): AcknowledgementBatch[] {
  const offsets = [...acks.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const batches: AcknowledgementBatch[] = [];
  let run: { first: bigint; last: bigint; types: AcknowledgeTypeCode[] } | undefined;
  const close = () => {
    if (run === undefined) return;
    const same = run.types.every((t) => t === run?.types[0]);
    batches.push({
      firstOffset: run.first,
      lastOffset: run.last,
      types: same ? [run.types[0] as AcknowledgeTypeCode] : run.types,
    });
  };
  for (const offset of offsets) {
    const type = acks.get(offset) as AcknowledgeTypeCode;
    if (run !== undefined && offset === run.last + 1n) {
      run.last = offset;
      run.types.push(type);
      continue;
    }
    close();
    run = { first: offset, last: offset, types: [type] };
  }
  close();
  return batches;
}

export function writeBatches(e: Encoder, batches: readonly AcknowledgementBatch[]): void {
  writeCompactArray(e, batches, (w, batch) => {
    w.writeInt64(batch.firstOffset);
    w.writeInt64(batch.lastOffset);
    writeCompactArray(w, batch.types, (x, type) => x.writeInt8(type));
    writeTags(w);
  });
}

/** The current leader a partition error names (-1 when unknown). */
export interface LeaderIdAndEpoch {
  leaderId: number;
  leaderEpoch: number;
}

export function readLeader(d: Decoder): LeaderIdAndEpoch {
  const leaderId = d.readInt32();
  const leaderEpoch = d.readInt32();
  skipTags(d);
  return { leaderId, leaderEpoch };
}
