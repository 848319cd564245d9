/**
 * The records of one ShareFetch partition: the broker returns whole log batches, and only the
 * offsets inside the acquired ranges are this member's. Batches are CRC-checked, then only their
 * acquired records are decoded (`acquired-batch.ts`, with KafkaJS's record decoder). Every acquired offset that yields no user record (a control
 * record, a compacted gap) is returned in `gaps`: it must be acknowledged as GAP.
 */
import { batchCrcError } from '../client/kafkajs-patches/batch-crc.js';
import type { MessageHeaders } from '../types.js';
import { type AcquiredRecord, decodeAcquired } from './acquired-batch.js';
import type { AcquiredRange } from './fetch-api.js';
import { newDecoder } from './wire.js';

/** One acquired record, as the share session hands it out. */
export interface ShareRecord {
  readonly topic: string;
  readonly partition: number;
  /** Decimal string, as KafkaJS gives offsets. */
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly timestamp: string;
  readonly attributes: number;
  readonly headers: MessageHeaders;
  /** How many times the broker has handed this record out, this time included (1 on the first). */
  readonly deliveryCount: number;
  /** Epoch ms when this member's acquisition lock on it runs out (unless renewed). */
  readonly lockExpiresAt: number;
}

interface DecodedBatch {
  isControlBatch: boolean;
  records: AcquiredRecord[];
}

const BATCH_OVERHEAD = 61;

export interface PartitionRecords {
  records: ShareRecord[];
  gaps: bigint[];
  /** Set when a batch could not be read (CRC or decode): the acquired offsets not delivered from it on. */
  undecodable: { offsets: bigint[]; error: Error } | undefined;
}

function deliveryCountOf(ranges: readonly AcquiredRange[], offset: bigint): number | undefined {
  for (const r of ranges) if (offset >= r.firstOffset && offset <= r.lastOffset) return r.deliveryCount;
  return undefined;
}

function* acquiredOffsets(ranges: readonly AcquiredRange[]): Generator<bigint> {
  for (const r of ranges) for (let o = r.firstOffset; o <= r.lastOffset; o++) yield o;
}

export async function partitionRecords(
  topic: string,
  partition: number,
  bytes: Buffer | null,
  acquired: readonly AcquiredRange[],
  lockExpiresAt: number,
): Promise<PartitionRecords> {
  const records: ShareRecord[] = [];
  const seen = new Set<bigint>();
  let failure: Error | undefined;
  if (bytes !== null && acquired.length > 0) {
    const d = newDecoder(bytes);
    const isAcquired = (offset: bigint) => deliveryCountOf(acquired, offset) !== undefined;
    let last = -1n;
    for (const r of acquired) if (r.lastOffset > last) last = r.lastOffset;
    let first = last;
    for (const r of acquired) if (r.firstOffset < first) first = r.firstOffset;
    while (d.offset + BATCH_OVERHEAD <= bytes.length) {
      // Batches wholly outside the acquired offsets are neither checked nor decoded.
      const base = bytes.readBigInt64BE(d.offset);
      const size = bytes.readInt32BE(d.offset + 8);
      if (base > last) break;
      if (base + BigInt(bytes.readInt32BE(d.offset + 23)) < first) {
        if (d.offset + 12 + size > bytes.length) break; // cut by maxBytes
        d.offset += 12 + size;
        continue;
      }
      const crc = batchCrcError(bytes, d.offset, bytes.length);
      if (crc !== undefined) {
        failure = crc;
        break;
      }
      let batch: DecodedBatch;
      try {
        batch = await decodeAcquired(d as never, isAcquired, last);
      } catch (error) {
        // A batch cut by maxBytes ends the set; anything else is undecodable.
        if ((error as Error).name !== 'KafkaJSPartialMessageError') failure = error as Error;
        break;
      }
      if (batch.isControlBatch) continue;
      for (const r of batch.records) {
        const offset = BigInt(r.offset);
        const deliveryCount = deliveryCountOf(acquired, offset);
        if (deliveryCount === undefined) continue;
        seen.add(offset);
        records.push({
          topic,
          partition,
          offset: r.offset,
          key: r.key,
          value: r.value,
          timestamp: r.timestamp,
          attributes: r.attributes,
          headers: r.headers,
          deliveryCount,
          lockExpiresAt,
        });
      }
    }
  }
  const missing = [...acquiredOffsets(acquired)].filter((o) => !seen.has(o));
  if (failure === undefined) return { records, gaps: missing, undecodable: undefined };
  // Past an unreadable batch nothing is known: those offsets are not gaps, they are undecodable.
  return { records, gaps: [], undecodable: { offsets: missing, error: failure } };
}
