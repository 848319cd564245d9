import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { batchCrcError, scanFetchResponse } from '../../src/client/kafkajs-patches/batch-crc.js';
import { crc32c, crc32cImplementation, crc32cJs } from '../../src/client/kafkajs-patches/crc32c.js';

const require = createRequire(import.meta.url);
/** KafkaJS's own (byte-at-a-time) CRC32C, which it uses to write batches. */
const kafkajsCrc32c: (buf: Buffer) => number = require('kafkajs/src/protocol/recordBatch/crc32C/index.js');

/** A v2 batch as KafkaJS writes it (its encoder computes the CRC). */
const { RecordBatch: encodeBatch } = require('kafkajs/src/protocol/recordBatch/v0/index.js') as {
  RecordBatch: (batch: Record<string, unknown>) => Promise<{ buffer: Buffer }>;
};
const encodeRecord: (
  record: Record<string, unknown>,
) => unknown = require('kafkajs/src/protocol/recordBatch/record/v0/index.js');

const flip = (buf: Buffer, at: number) => buf.writeUInt8(buf.readUInt8(at) ^ 0xff, at);

async function batch(baseOffset: number, values: string[]): Promise<Buffer> {
  const records = values.map((value, i) =>
    encodeRecord({
      offsetDelta: i,
      timestampDelta: 0,
      key: Buffer.from(`k${i}`),
      value: Buffer.from(value),
      headers: {},
    }),
  );
  const body = await encodeBatch({
    compression: 0,
    firstOffset: String(baseOffset),
    firstTimestamp: Date.now(),
    maxTimestamp: Date.now(),
    lastOffsetDelta: values.length - 1,
    records,
  });
  return body.buffer;
}

/** A Fetch v11 response with one topic and one partition holding `recordSet`. */
function fetchResponse(topic: string, recordSet: Buffer): Buffer {
  const name = Buffer.from(topic);
  const head = Buffer.alloc(10 + 4 + 2);
  head.writeInt32BE(1, 10);
  head.writeInt16BE(name.length, 14);
  const partition = Buffer.alloc(4 + 4 + 2 + 8 + 8 + 8 + 4 + 4 + 4);
  let at = 4; // partitions count written below
  partition.writeInt32BE(1, 0);
  partition.writeInt32BE(0, at); // partition index
  at += 4 + 2 + 8 + 8 + 8;
  partition.writeInt32BE(-1, at); // no aborted transactions
  partition.writeInt32BE(-1, at + 4); // preferred read replica
  partition.writeInt32BE(recordSet.length, at + 8);
  return Buffer.concat([head, name, partition, recordSet]);
}

describe('the CRC32C of fetched batches', () => {
  it('computes CRC32C as Kafka does: the check value and KafkaJS on every length and alignment', () => {
    // The native one where its binary installs (linux x64 here), the JavaScript one elsewhere.
    expect(crc32cImplementation).toBe(
      process.platform === 'linux' && process.arch === 'x64' ? 'native' : 'javascript',
    );
    const data = randomBytes(5000);
    for (const crc of [crc32c, crc32cJs]) {
      expect(crc(Buffer.from('123456789'))).toBe(0xe3069283);
      for (const length of [0, 1, 7, 8, 9, 15, 16, 17, 100, 1000, 4097]) {
        for (const start of [0, 1, 3]) {
          const slice = data.subarray(start, start + length);
          expect(crc(data, start, start + length)).toBe(kafkajsCrc32c(slice));
        }
      }
    }
  });

  it('accepts an intact batch and names the mismatch of one with a changed byte', async () => {
    const bytes = await batch(3, ['alpha', 'beta', 'gamma']);
    expect(batchCrcError(bytes, 0, bytes.length)).toBeUndefined();
    const damaged = Buffer.from(bytes);
    flip(damaged, damaged.length - 5);
    expect(batchCrcError(damaged, 0, damaged.length)?.message).toMatch(
      /^corrupt record batch \(CRC mismatch: the batch says 0x[0-9a-f]{8}, its bytes give 0x[0-9a-f]{8}\)$/,
    );
  });

  it('leaves partial batches (a fetch cut by maxBytes) and impossible lengths to the decoder', async () => {
    const bytes = await batch(0, ['one']);
    expect(batchCrcError(bytes, 0, bytes.length - 1)).toBeUndefined();
    const short = Buffer.from(bytes);
    short.writeInt32BE(5, 8);
    expect(batchCrcError(short, 0, short.length)).toBeUndefined();
  });

  it('finds a damaged batch after intact ones in a fetch response, for the checked topics only', async () => {
    const good = Buffer.concat([await batch(0, ['a', 'b']), await batch(2, ['c'])]);
    const bad = Buffer.from(good);
    flip(bad, bad.length - 3);
    expect(scanFetchResponse(fetchResponse('orders', good), () => true)).toEqual({
      corrupt: false,
      recordBytes: good.length,
    });
    expect(scanFetchResponse(fetchResponse('orders', bad), (t) => t === 'orders').corrupt).toBe(true);
    expect(scanFetchResponse(fetchResponse('orders', bad), (t) => t === 'other').corrupt).toBe(false);
    expect(scanFetchResponse(fetchResponse('orders', Buffer.alloc(0)), () => true)).toEqual({
      corrupt: false,
      recordBytes: 0,
    });
    // A response cut short is malformed: the caller leaves it to KafkaJS's decoder.
    const cut = fetchResponse('orders', bad);
    expect(() => scanFetchResponse(cut.subarray(0, cut.length - 10), () => true)).toThrow(RangeError);
  });
});
