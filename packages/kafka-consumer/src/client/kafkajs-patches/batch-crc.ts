/**
 * The CRC32C check of fetched v2 record batches that KafkaJS leaves out ("The library is currently
 * not performing CRC validations"). Without it, a batch corrupted on a broker's disk (the broker
 * serves its segments as they are, it checks CRCs only on produce) either fails to decode somewhere
 * in its records or, worse, decodes into records with wrong bytes that are delivered as if nothing
 * happened. The Java client checks every batch (`check.crcs=true` by default); so does this.
 */
import { crc32c } from './crc32c.js';

/** v2 batch layout: baseOffset int64, batchLength int32, leaderEpoch int32, magic int8, crc uint32, attributes... */
const LENGTH_AT = 8;
const MAGIC_AT = 16;
const CRC_AT = 17;
const CRC_FROM = 21;
const LOG_OVERHEAD = 12;
const HEADER = 61;
/** The smallest batchLength of a v2 batch (its header after the length field). */
const MIN_LENGTH = HEADER - LOG_OVERHEAD;

const hex = (n: number) => `0x${n.toString(16).padStart(8, '0')}`;

/**
 * The CRC error of the v2 batch at `at` of `buf` (a record set ending at `end`), or undefined when it
 * matches — or cannot be judged here: a partial batch (a fetch cut by maxBytes), a length below the
 * minimum, an older magic; the decoder handles those as before.
 */
export function batchCrcError(buf: Buffer, at: number, end: number): Error | undefined {
  if (at + HEADER > end) return undefined;
  const length = buf.readInt32BE(at + LENGTH_AT);
  const stop = at + LOG_OVERHEAD + length;
  if (length < MIN_LENGTH || stop > end || buf.readInt8(at + MAGIC_AT) !== 2) return undefined;
  const stored = buf.readUInt32BE(at + CRC_AT);
  const computed = crc32c(buf, at + CRC_FROM, stop);
  if (stored === computed) return undefined;
  return new Error(
    `corrupt record batch (CRC mismatch: the batch says ${hex(stored)}, its bytes give ${hex(computed)})`,
  );
}

/** Whether the record set `buf[start..end)` holds a complete v2 batch whose CRC does not match. */
function recordSetCorrupt(buf: Buffer, start: number, end: number): boolean {
  let at = start;
  while (at + HEADER <= end) {
    const length = buf.readInt32BE(at + LENGTH_AT);
    if (length < MIN_LENGTH || at + LOG_OVERHEAD + length > end) return false;
    if (batchCrcError(buf, at, end) !== undefined) return true;
    at += LOG_OVERHEAD + length;
  }
  return false;
}

/** What a walk over a Fetch v11 response's frame found. */
export interface FetchScan {
  /** A complete v2 batch of a checked topic whose CRC does not match. */
  corrupt: boolean;
  /** Bytes of record sets in the whole response, any topic (0: the broker returned no record at all). */
  recordBytes: number;
}

/**
 * Walks a Fetch v11 response's frame (no record is decoded), checking the batches of the topics
 * `checked` accepts; a malformed frame throws a RangeError (the caller leaves the verdict to the
 * decoder).
 */
export function scanFetchResponse(raw: Buffer, checked: (topic: string) => boolean): FetchScan {
  let at = 10; // throttle_time_ms int32, error_code int16, session_id int32
  let recordBytes = 0;
  let corrupt = false;
  const topics = raw.readInt32BE(at);
  at += 4;
  for (let t = 0; t < topics; t++) {
    const nameLength = raw.readInt16BE(at);
    const check = checked(raw.toString('utf8', at + 2, at + 2 + nameLength));
    at += 2 + nameLength;
    const partitions = raw.readInt32BE(at);
    at += 4;
    for (let p = 0; p < partitions; p++) {
      at += 4 + 2 + 8 + 8 + 8; // partition, error_code, high watermark, last stable offset, log start offset
      const aborted = raw.readInt32BE(at);
      at += 4 + Math.max(aborted, 0) * 16 + 4; // aborted transactions, preferred read replica
      const size = raw.readInt32BE(at);
      at += 4;
      if (size <= 0) continue;
      if (at + size > raw.length) throw new RangeError('record set past the end of the response');
      recordBytes += size;
      if (check && !corrupt && recordSetCorrupt(raw, at, at + size)) corrupt = true;
      at += size;
    }
  }
  return { corrupt, recordBytes };
}
