/**
 * A record batch (magic v2) decoded for a share fetch: only the records whose offset `wanted` says
 * (those acquired by this member) are decoded; the others are stepped over after reading their
 * offset delta, and the batch ends at the last wanted offset. The broker returns whole log batches
 * while a fetch acquires a few of their records (record-limit mode): a 2,000-record producer batch
 * was decoded whole for every 10 records before this. The header, compression (KafkaJS's codecs,
 * with the runtime's snappy/lz4/zstd) and each wanted record (KafkaJS's record decoder) are read as
 * KafkaJS's own batch decoder reads them.
 */
import { createRequire } from 'node:module';
import type { MessageHeaders } from '../types.js';

interface KafkaJsDecoder {
  offset: number;
  buffer: Buffer;
  readInt8(): number;
  readInt16(): number;
  readInt32(): number;
  readInt64(): { toString(): string };
  readVarInt(): number;
  readVarLong(): unknown;
  readVarIntBytes(): Buffer;
  readAll(): Buffer;
  slice(size: number): KafkaJsDecoder;
  forward(size: number): void;
}

export interface AcquiredRecord {
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  timestamp: string;
  attributes: number;
  headers: MessageHeaders;
}

const require = createRequire(import.meta.url);
const Decoder = require('kafkajs/src/protocol/decoder.js') as new (buffer: Buffer) => KafkaJsDecoder;
const decodeRecord = require('kafkajs/src/protocol/recordBatch/record/v0/decoder.js') as (
  d: KafkaJsDecoder,
  context: Record<string, unknown>,
) => AcquiredRecord;
const { lookupCodecByAttributes } = require('kafkajs/src/protocol/message/compression/index.js') as {
  lookupCodecByAttributes(attributes: number): { decompress(b: Buffer): Promise<Buffer> } | null;
};
const { KafkaJSPartialMessageError } = require('kafkajs/src/errors.js') as {
  KafkaJSPartialMessageError: new (message: string) => Error;
};

const TIMESTAMP_TYPE_FLAG = 0x8;
const TRANSACTIONAL_FLAG = 0x10;
const CONTROL_FLAG = 0x20;

/** Reads one batch at `d` (moving past it); decodes the records `wanted` accepts, up to `last`. */
export async function decodeAcquired(
  d: KafkaJsDecoder,
  wanted: (offset: bigint) => boolean,
  last: bigint,
): Promise<{ isControlBatch: boolean; records: AcquiredRecord[] }> {
  const firstOffset = d.readInt64().toString();
  const length = d.readInt32();
  const batch = d.slice(length);
  d.forward(length);
  if (batch.buffer.length < length)
    throw new KafkaJSPartialMessageError(
      `Tried to decode a partial record batch: remainingBytes(${batch.buffer.length}) < recordBatchLength(${length})`,
    );
  const partitionLeaderEpoch = batch.readInt32();
  const magicByte = batch.readInt8();
  batch.readInt32(); // CRC: checked by the caller over the whole batch
  const attributes = batch.readInt16();
  const lastOffsetDelta = batch.readInt32();
  const firstTimestamp = batch.readInt64().toString();
  const maxTimestamp = batch.readInt64().toString();
  const producerId = batch.readInt64().toString();
  const producerEpoch = batch.readInt16();
  const firstSequence = batch.readInt32();
  const isControlBatch = (attributes & CONTROL_FLAG) > 0;
  if (isControlBatch) return { isControlBatch, records: [] };
  const context = {
    firstOffset,
    firstTimestamp,
    partitionLeaderEpoch,
    inTransaction: (attributes & TRANSACTIONAL_FLAG) > 0,
    isControlBatch,
    lastOffsetDelta,
    producerId,
    producerEpoch,
    firstSequence,
    maxTimestamp,
    timestampType: (attributes & TIMESTAMP_TYPE_FLAG) > 0 ? 1 : 0,
    magicByte,
  };
  const count = batch.readInt32();
  const codec = lookupCodecByAttributes(attributes);
  const records: AcquiredRecord[] = [];
  if (count <= 0) return { isControlBatch, records };
  const source = codec === null ? batch : new Decoder(await codec.decompress(batch.readAll()));
  const base = BigInt(firstOffset);
  for (let i = 0; i < count; i++) {
    const bytes = source.readVarIntBytes();
    const peek = new Decoder(bytes);
    peek.readInt8(); // attributes
    peek.readVarLong(); // timestamp delta
    const offset = base + BigInt(peek.readVarInt());
    if (offset > last) break;
    if (wanted(offset)) records.push(decodeRecord(new Decoder(bytes), context));
  }
  return { isControlBatch, records };
}
