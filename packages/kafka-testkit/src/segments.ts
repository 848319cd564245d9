import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TestkitError } from './errors.js';

/** One v2 record batch as it lies in a segment file. */
export interface SegmentBatch {
  /** Byte position of the batch in the file. */
  readonly position: number;
  readonly baseOffset: bigint;
  readonly lastOffset: bigint;
  /** `batchLength`: the bytes after the length field (the batch takes 12 + this). */
  readonly length: number;
  readonly magic: number;
  /** Compression codec (attributes & 7): 0 none, 1 gzip, 2 snappy, 3 lz4, 4 zstd. */
  readonly codec: number;
  readonly recordCount: number;
}

/** The v2 batch header: where its fields are, for tests that damage a batch on purpose. */
export const BATCH_HEADER = {
  lengthAt: 8,
  magicAt: 16,
  crcAt: 17,
  attributesAt: 21,
  recordCountAt: 57,
  /** The records (or the compressed records) start here. */
  size: 61,
} as const;

/**
 * The segment files (`*.log`, oldest first) of `topic[partition]` in a broker's `log.dirs`
 * (`KafkaHandle.logDir`, or `inject('kafkaLogDir')` in a test). The broker writes them through the
 * page cache: what a test writes into one is what the next fetch of those bytes returns.
 */
export function segmentFiles(logDir: string, topic: string, partition: number): string[] {
  const dir = join(logDir, `${topic}-${partition}`);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    throw new TestkitError(
      'NO_LOG_FOLDER',
      `No log folder for ${topic}[${partition}] in ${logDir} (is this the broker's log.dirs?)`,
      {
        cause: error,
      },
    );
  }
  return names
    .filter((name) => name.endsWith('.log'))
    .sort()
    .map((name) => join(dir, name));
}

/** The record batches of a segment file, in order (stops at a batch the file does not hold whole). */
export function readRecordBatches(file: string): SegmentBatch[] {
  const bytes = readFileSync(file);
  const batches: SegmentBatch[] = [];
  let at = 0;
  while (at + BATCH_HEADER.size <= bytes.length) {
    const length = bytes.readInt32BE(at + BATCH_HEADER.lengthAt);
    if (length < BATCH_HEADER.size - 12 || at + 12 + length > bytes.length) break;
    const baseOffset = bytes.readBigInt64BE(at);
    batches.push({
      position: at,
      baseOffset,
      lastOffset: baseOffset + BigInt(bytes.readInt32BE(at + 23)),
      length,
      magic: bytes.readInt8(at + BATCH_HEADER.magicAt),
      codec: bytes.readInt16BE(at + BATCH_HEADER.attributesAt) & 7,
      recordCount: bytes.readInt32BE(at + BATCH_HEADER.recordCountAt),
    });
    at += 12 + length;
  }
  return batches;
}
