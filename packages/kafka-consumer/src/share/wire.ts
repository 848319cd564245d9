/**
 * Flexible-version framing (KIP-482) on KafkaJS 2.2.4's own Encoder and Decoder, for the request
 * types KafkaJS does not have. KafkaJS writes request header v1 (api key, version, correlation id,
 * client id) and hands the decoder everything after the correlation id; header v2 and response
 * header v1 differ only by an (empty) tagged-field section right there, so a flexible body starts
 * and its response decoding begins by skipping one. Compact strings, arrays and bytes are KafkaJS's
 * unsigned-varint methods; UUIDs are 16 raw bytes.
 */
import { createRequire } from 'node:module';

/** The slice of KafkaJS's Encoder these codecs use. */
export interface Encoder {
  writeInt8(value: number): Encoder;
  writeInt16(value: number): Encoder;
  writeInt32(value: number): Encoder;
  writeInt64(value: bigint | string | number): Encoder;
  writeBoolean(value: boolean): Encoder;
  writeUVarInt(value: number): Encoder;
  /** Compact (nullable) string: length + 1 as an unsigned varint, 0 for null. */
  writeUVarIntString(value: string | null): Encoder;
  writeBuffer(value: Buffer): Encoder;
  writeEncoder(value: Encoder): Encoder;
}

/** The slice of KafkaJS's Decoder these codecs use. */
export interface Decoder {
  offset: number;
  readInt8(): number;
  readInt16(): number;
  readInt32(): number;
  readInt64(): bigint;
  readBoolean(): boolean;
  readUVarInt(): number;
  readUVarIntString(): string | null;
  readBytes(size: number): Buffer;
}

const require = createRequire(import.meta.url);
const EncoderClass = require('kafkajs/src/protocol/encoder.js') as new () => Encoder;
const DecoderClass = require('kafkajs/src/protocol/decoder.js') as new (buffer: Buffer) => Decoder;

export const newEncoder = (): Encoder => new EncoderClass();
export const newDecoder = (buffer: Buffer): Decoder => new DecoderClass(buffer);

/** Writes an empty tagged-field section (this client sets no tagged fields). */
export const writeTags = (e: Encoder): Encoder => e.writeUVarInt(0);

/**
 * Skips a tagged-field section (none of these responses' tagged fields are read). Not KafkaJS's
 * readTaggedFields: it reads a field's size as if it were a compact length (size + 1).
 */
export function skipTags(d: Decoder): void {
  const count = d.readUVarInt();
  for (let i = 0; i < count; i++) {
    d.readUVarInt();
    d.readBytes(d.readUVarInt());
  }
}

/** Compact nullable bytes (length + 1, 0 for null). Not KafkaJS's readUVarIntBytes: it returns one byte too many. */
export function readCompactBytes(d: Decoder): Buffer | null {
  const length = d.readUVarInt() - 1;
  return length < 0 ? null : d.readBytes(length);
}

export const ZERO_UUID = Buffer.alloc(16);

export function writeUuid(e: Encoder, uuid: Buffer): Encoder {
  if (uuid.length !== 16) throw new Error(`a topic id is 16 bytes, got ${uuid.length}`);
  return e.writeBuffer(uuid);
}

export const readUuid = (d: Decoder): Buffer => Buffer.from(d.readBytes(16));

/** Compact array: length + 1, or 0 for null. */
export function writeCompactArray<T>(
  e: Encoder,
  items: readonly T[] | null,
  write: (e: Encoder, item: T) => void,
) {
  if (items === null) return e.writeUVarInt(0);
  e.writeUVarInt(items.length + 1);
  for (const item of items) write(e, item);
  return e;
}

/** Reads a compact array; null arrays read as []. */
export function readCompactArray<T>(d: Decoder, read: (d: Decoder) => T): T[] {
  const length = d.readUVarInt() - 1;
  const items: T[] = [];
  for (let i = 0; i < length; i++) items.push(read(d));
  return items;
}

/** A compact string the schema declares non-nullable: null on the wire is a protocol error. */
export function readString(d: Decoder): string {
  const value = d.readUVarIntString();
  if (value === null) throw new Error('a non-nullable string was null');
  return value;
}

/** What KafkaJS's Connection.send takes: the request and how to read its response. */
export interface ProtocolRequest<T> {
  request: { apiKey: number; apiVersion: number; apiName: string; encode(): Promise<Encoder> };
  response: { decode(payload: Buffer): Promise<T>; parse(value: T): Promise<T> };
}

/**
 * A flexible-version request for KafkaJS's Connection: `body` writes the fields after the request
 * header, `read` the fields after the response header; both without the header's tagged fields.
 */
export function flexibleRequest<T>(
  apiKey: number,
  apiVersion: number,
  apiName: string,
  body: (e: Encoder) => void,
  read: (d: Decoder) => T,
): ProtocolRequest<T> {
  return {
    request: {
      apiKey,
      apiVersion,
      apiName,
      encode: async () => {
        const e = newEncoder();
        writeTags(e); // request header v2: the header's tagged fields follow the client id
        body(e);
        return e;
      },
    },
    response: {
      decode: async (payload: Buffer) => {
        const d = newDecoder(payload);
        skipTags(d); // response header v1
        return read(d);
      },
      parse: async (value: T) => value,
    },
  };
}

/** A base64url UUID without padding, as Kafka prints a `Uuid` (member ids look like this). */
export function uuidString(bytes: Buffer): string {
  return bytes.toString('base64url');
}
