/**
 * Registers the snappy, lz4 and zstd codecs with KafkaJS, which ships only gzip. Without them a
 * batch from a Java or librdkafka producer (snappy/lz4/zstd are their usual settings) fails to
 * decode. Pure-JS packages from the npm registry only: nothing native, nothing fetched at install.
 *
 * Installed once, by install.ts, when the first KafkaJS client of the runtime is created (never at
 * import). KafkaJS looks codecs up per batch in the shared `CompressionCodecs` table, so
 * registering them here covers every client of the process.
 */
import { createRequire } from 'node:module';
import { decompress as zstdDecompress } from 'fzstd';
import * as lz4 from 'lz4js';
import * as snappy from 'snappyjs';

/** KafkaJS's codec interface (src/protocol/message/compression): compress an encoder, decompress bytes. */
interface KafkaJsCodec {
  compress(encoder: { buffer: Buffer }): Promise<Buffer>;
  decompress(buffer: Buffer): Promise<Buffer>;
}

const toBuffer = (bytes: Uint8Array): Buffer => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/** The Java client (xerial snappy-java) frames snappy blocks: this magic, two version ints, then chunks. */
const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);
const XERIAL_HEADER_BYTES = 16;

/** Raw snappy (librdkafka, KafkaJS codecs) or xerial-framed snappy (Java producers). */
export function snappyDecompress(buffer: Buffer): Buffer {
  if (buffer.length < XERIAL_HEADER_BYTES || !buffer.subarray(0, 8).equals(XERIAL_MAGIC)) {
    return toBuffer(snappy.uncompress(buffer));
  }
  const chunks: Buffer[] = [];
  let offset = XERIAL_HEADER_BYTES;
  while (offset < buffer.length) {
    if (offset + 4 > buffer.length) throw new Error('Truncated xerial snappy frame: chunk size cut off');
    const size = buffer.readUInt32BE(offset);
    offset += 4;
    if (offset + size > buffer.length) throw new Error('Truncated xerial snappy frame: chunk cut off');
    chunks.push(toBuffer(snappy.uncompress(buffer.subarray(offset, offset + size))));
    offset += size;
  }
  return Buffer.concat(chunks);
}

/** Kafka's LZ4 (message format v2) is the standard LZ4 frame format. */
export function lz4Decompress(buffer: Buffer): Buffer {
  return toBuffer(lz4.decompress(buffer));
}

const snappyCodec: KafkaJsCodec = {
  compress: async (encoder) => toBuffer(snappy.compress(encoder.buffer)),
  decompress: async (buffer) => snappyDecompress(buffer),
};

const lz4Codec: KafkaJsCodec = {
  compress: async (encoder) => toBuffer(lz4.compress(encoder.buffer)),
  decompress: async (buffer) => lz4Decompress(buffer),
};

const zstdCodec: KafkaJsCodec = {
  compress: async () => {
    throw new Error('ZSTD compression is not available for producing (only decompression is registered)');
  },
  decompress: async (buffer) => toBuffer(zstdDecompress(buffer)),
};

type CodecTable = Record<number, (() => KafkaJsCodec) | undefined>;

/** KafkaJS's own placeholder for a codec it does not ship: calling it throws KafkaJSNotImplemented. */
function isPlaceholder(factory: (() => KafkaJsCodec) | undefined): boolean {
  if (factory === undefined) return true;
  try {
    factory();
    return false;
  } catch (error) {
    return (error as { name?: unknown }).name === 'KafkaJSNotImplemented';
  }
}

/**
 * Fills the snappy, lz4 and zstd slots of KafkaJS's shared codec table, only where KafkaJS left its
 * "not implemented" placeholder: a codec the application registered (before the first consumer is
 * created) stays, so an application producer that compresses with its own zstd keeps working.
 * Called once, by install.ts; returns the slots it filled.
 */
export function installCodecs(): string[] {
  // KafkaJS is CommonJS and these two exports are not visible to Node's ESM named-import detection.
  const { CompressionCodecs, CompressionTypes } = createRequire(import.meta.url)(
    'kafkajs',
  ) as typeof import('kafkajs');
  const codecs = CompressionCodecs as unknown as CodecTable;
  const ours: Array<[string, number, KafkaJsCodec]> = [
    ['snappy', CompressionTypes.Snappy, snappyCodec],
    ['lz4', CompressionTypes.LZ4, lz4Codec],
    ['zstd', CompressionTypes.ZSTD, zstdCodec],
  ];
  const filled: string[] = [];
  for (const [name, type, codec] of ours) {
    if (!isPlaceholder(codecs[type])) continue;
    codecs[type] = () => codec;
    filled.push(name);
  }
  return filled;
}
