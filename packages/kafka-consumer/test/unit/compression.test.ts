import { randomBytes } from 'node:crypto';
import { CompressionCodecs, CompressionTypes } from 'kafkajs';
import * as snappy from 'snappyjs';
import { describe, expect, it } from 'vitest';
import { createKafkaJsFactory } from '../../src/client/kafkajs.js';
import { lz4Decompress, snappyDecompress } from '../../src/client/kafkajs-patches/codecs.js';
import { noopLogger } from '../../src/index.js';

const xerial = (chunks: Buffer[]) => {
  const header = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0, 0, 0, 0, 1, 0, 0, 0, 1]);
  const parts = chunks.flatMap((chunk) => {
    const compressed = Buffer.from(snappy.compress(chunk));
    const size = Buffer.alloc(4);
    size.writeUInt32BE(compressed.length);
    return [size, compressed];
  });
  return Buffer.concat([header, ...parts]);
};

describe('compression codecs', () => {
  it('importing the package registers nothing; the first client fills only the slots KafkaJS left empty', () => {
    const codecs = CompressionCodecs as Record<number, () => { decompress: unknown }>;
    // Imported, no client yet: KafkaJS's own placeholders are still there.
    for (const type of [CompressionTypes.Snappy, CompressionTypes.LZ4, CompressionTypes.ZSTD]) {
      expect(() => codecs[type]?.()).toThrow(/not implemented/);
    }
    // The application registers its own zstd (compressing too) before it creates a consumer.
    const own = { compress: async () => Buffer.alloc(0), decompress: async () => Buffer.alloc(0) };
    codecs[CompressionTypes.ZSTD] = () => own;
    createKafkaJsFactory({
      brokers: ['127.0.0.1:9'],
      clientId: 'c',
      ssl: undefined,
      sasl: undefined,
      logger: noopLogger,
      joinHoldMs: 1000,
    });
    for (const type of [CompressionTypes.Snappy, CompressionTypes.LZ4]) {
      expect(() => codecs[type]?.()).not.toThrow();
    }
    expect(codecs[CompressionTypes.ZSTD]?.()).toBe(own);
  });

  it('decodes raw snappy and the xerial framing of the Java client, chunk by chunk', () => {
    const a = randomBytes(5000);
    const b = Buffer.from('x'.repeat(70_000));
    expect(snappyDecompress(Buffer.from(snappy.compress(a)))).toEqual(a);
    expect(snappyDecompress(xerial([a, b]))).toEqual(Buffer.concat([a, b]));
  });

  it('rejects a truncated xerial frame instead of returning partial data', () => {
    const framed = xerial([randomBytes(1000)]);
    expect(() => snappyDecompress(framed.subarray(0, framed.length - 10))).toThrow(/Truncated/);
  });

  it('round-trips an LZ4 frame of several blocks', async () => {
    const data = Buffer.concat([randomBytes(100_000), Buffer.from('y'.repeat(100_000))]);
    const codec = (
      CompressionCodecs as Record<number, () => { compress(e: { buffer: Buffer }): Promise<Buffer> }>
    )[CompressionTypes.LZ4]?.();
    const compressed = await codec?.compress({ buffer: data });
    expect(lz4Decompress(compressed as Buffer)).toEqual(data);
  });
});
