/**
 * CRC32C (Castagnoli), the checksum of Kafka's v2 record batches. `@node-rs/crc32` (SSE4.2 / ARMv8
 * CRC instructions; its prebuilt binary is an npm package of its own, one per platform, as
 * `@platformatic/kafka` uses it) does about 12 GB/s on batch-sized buffers; where its binary is
 * missing, a JavaScript slicing-by-8 does about 1.3 GB/s, three times KafkaJS's byte-at-a-time table
 * (which KafkaJS only uses to write batches; it never checks the CRC of what it fetches).
 */
import { createRequire } from 'node:module';

const POLY = 0x82f63b78;
const T = new Int32Array(8 * 256);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1;
  T[n] = c;
}
for (let n = 0; n < 256; n++) {
  let c = T[n] as number;
  for (let t = 1; t < 8; t++) {
    c = (T[c & 0xff] as number) ^ (c >>> 8);
    T[t * 256 + n] = c;
  }
}

/** CRC32C of `buf[start..end)` in JavaScript, as an unsigned 32-bit number. */
export function crc32cJs(buf: Uint8Array, start = 0, end = buf.length): number {
  let crc = -1;
  let i = start;
  // Indexed reads stay in range (i + 7 < end <= length): the non-null assertions are free.
  for (; i + 8 <= end; i += 8) {
    const a =
      crc ^
      ((buf[i] as number) |
        ((buf[i + 1] as number) << 8) |
        ((buf[i + 2] as number) << 16) |
        ((buf[i + 3] as number) << 24));
    crc =
      (T[1792 + (a & 0xff)] as number) ^
      (T[1536 + ((a >>> 8) & 0xff)] as number) ^
      (T[1280 + ((a >>> 16) & 0xff)] as number) ^
      (T[1024 + (a >>> 24)] as number) ^
      (T[768 + (buf[i + 4] as number)] as number) ^
      (T[512 + (buf[i + 5] as number)] as number) ^
      (T[256 + (buf[i + 6] as number)] as number) ^
      (T[buf[i + 7] as number] as number);
  }
  for (; i < end; i++) crc = (T[(crc ^ (buf[i] as number)) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ -1) >>> 0;
}

type Native = (input: Buffer) => number;
const native = ((): Native | undefined => {
  try {
    const { crc32c: fn } = createRequire(import.meta.url)('@node-rs/crc32') as { crc32c?: Native };
    return typeof fn === 'function' && fn(Buffer.from('123456789')) === 0xe3069283 ? fn : undefined;
  } catch {
    return undefined; // No binary for this platform: the JavaScript one.
  }
})();

/** Which implementation `crc32c` uses. */
export const crc32cImplementation: 'native' | 'javascript' = native === undefined ? 'javascript' : 'native';

/** CRC32C of `buf[start..end)` as an unsigned 32-bit number. */
export const crc32c: (buf: Buffer, start?: number, end?: number) => number =
  native === undefined
    ? crc32cJs
    : (buf, start = 0, end = buf.length) =>
        native(start === 0 && end === buf.length ? buf : buf.subarray(start, end)) >>> 0;
