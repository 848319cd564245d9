/**
 * Decodes a Fetch v11 response as KafkaJS does, partition by partition, tolerating bad batches: a
 * partition whose record set fails keeps the records of the batches before the bad one and returns
 * nothing from it on; when the bad batch is the first one fetched, `failed` is told (topic,
 * partition, where the batch starts in its record set, why). Batches of `checked` topics are
 * CRC-checked before they are decoded.
 */
import { batchCrcError } from './batch-crc.js';
import type { UndecodableKind } from './undecodable.js';

export interface Decoder {
  offset: number;
  buffer: Buffer;
  readInt16(): number;
  readInt32(): number;
  readInt64(): { toString(): string };
  readString(): string;
  readBytes(size: number): Buffer;
  canReadBytes(size: number): boolean;
  readArray<T>(reader: (d: Decoder) => T): T[];
  readArrayAsync<T>(reader: (d: Decoder) => Promise<T>): Promise<T[]>;
}

export type DecoderClass = new (buffer: Buffer) => Decoder;

export interface TolerantDeps {
  Decoder: DecoderClass;
  decodeBatch: (d: Decoder) => Promise<{ records: unknown[] }>;
  /** KafkaJS's decoder of v0/v1 message sets (a broker or topic on the old message format). */
  decodeMessageSet: (d: Decoder, size: number) => Promise<unknown[]>;
  checked: (topic: string) => boolean;
  failed: (
    topic: string,
    partition: number,
    bytes: Buffer,
    at: number,
    kind: UndecodableKind,
    error: unknown,
  ) => [];
}

const MAGIC_OFFSET = 16;
const BATCH_OVERHEAD = 49;

export function tolerantFetchDecoder({
  Decoder,
  decodeBatch,
  decodeMessageSet,
  checked,
  failed,
}: TolerantDeps) {
  const recordSet = async (decoder: Decoder, topic: string, partition: number): Promise<unknown[]> => {
    const size = decoder.readInt32();
    if (size <= 0 || !decoder.canReadBytes(size)) return [];
    const bytes = decoder.readBytes(size);
    if (bytes.length <= MAGIC_OFFSET || bytes.readInt8(MAGIC_OFFSET) !== 2) {
      // A v0/v1 message set: KafkaJS decodes those (no CRC32C to check); only a set it cannot
      // decode is held.
      try {
        return await decodeMessageSet(new Decoder(bytes), bytes.length);
      } catch (error) {
        return failed(topic, partition, bytes, 0, 'decode', error);
      }
    }
    const check = checked(topic);
    const batches = new Decoder(bytes);
    const records: unknown[] = [];
    while (batches.canReadBytes(BATCH_OVERHEAD)) {
      const start = batches.offset;
      // After good batches, deliver those: the next fetch starts at the bad one and reports it
      // (pausing now would make KafkaJS drop the good records with the rest of the fetch).
      const crc = check ? batchCrcError(bytes, start, bytes.length) : undefined;
      if (crc !== undefined) {
        if (records.length === 0) failed(topic, partition, bytes, start, 'crc', crc);
        break;
      }
      try {
        records.push(...(await decodeBatch(batches)).records);
      } catch (error) {
        // A partial batch is how maxBytes cuts a fetch (as KafkaJS itself, keep what came before).
        const partial = (error as Error).name === 'KafkaJSPartialMessageError';
        if (!partial && records.length === 0) failed(topic, partition, bytes, start, 'decode', error);
        break;
      }
    }
    return records;
  };
  return async (raw: Buffer) => {
    const decoder = new Decoder(raw);
    const clientSideThrottleTime = decoder.readInt32();
    const errorCode = decoder.readInt16();
    const sessionId = decoder.readInt32();
    const responses = await decoder.readArrayAsync(async (t) => {
      const topicName = t.readString();
      const partitions = await t.readArrayAsync(async (p) => {
        const partition = p.readInt32();
        return {
          partition,
          errorCode: p.readInt16(),
          highWatermark: p.readInt64().toString(),
          lastStableOffset: p.readInt64().toString(),
          lastStartOffset: p.readInt64().toString(),
          abortedTransactions: p.readArray((a) => ({
            producerId: a.readInt64().toString(),
            firstOffset: a.readInt64().toString(),
          })),
          preferredReadReplica: p.readInt32(),
          messages: await recordSet(p, topicName, partition),
        };
      });
      return { topicName, partitions };
    });
    return { throttleTime: 0, clientSideThrottleTime, errorCode, sessionId, responses };
  };
}
