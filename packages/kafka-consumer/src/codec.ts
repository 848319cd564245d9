import { DecodeError } from './errors.js';

/** Turns a raw message value into what the handler receives as `value`. Throwing means "cannot decode". */
export interface Codec<T = unknown> {
  readonly name: string;
  decode(value: Buffer | null): T;
}

/** Default codec: the handler gets the raw `Buffer | null`. */
export const rawCodec: Codec<Buffer | null> = { name: 'raw', decode: (value) => value };

/** JSON codec: UTF-8 JSON; a null value decodes to null; invalid JSON is a DecodeError (straight to the DLQ). */
export const jsonCodec: Codec<unknown> = {
  name: 'json',
  decode(value) {
    if (value === null) return null;
    try {
      return JSON.parse(value.toString('utf8')) as unknown;
    } catch (error) {
      throw new DecodeError(`Message value is not valid JSON: ${(error as Error).message}`, { cause: error });
    }
  },
};

/** Runs a codec and normalises any failure to a DecodeError (never retried). */
export function decodeValue<T>(codec: Codec<T>, value: Buffer | null): T {
  try {
    return codec.decode(value);
  } catch (error) {
    if (error instanceof DecodeError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new DecodeError(`Codec "${codec.name}" failed to decode the message value: ${message}`, {
      cause: error,
    });
  }
}
