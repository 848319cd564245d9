import { describe, expect, it } from 'vitest';
import { decodeValue } from '../../src/codec.js';
import { type Codec, DecodeError, jsonCodec } from '../../src/index.js';

const SECRET = 'card 4111-1111-1111-1111';

/** Every text a decode failure carries into logs (err serialisation) and DLQ headers. */
function texts(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error; e instanceof Error; e = e.cause) parts.push(e.message, e.stack ?? '');
  return parts.join('\n');
}

describe('codec errors name the problem and its position, never the content', () => {
  it.each([
    [`not json ${SECRET}`, 'an unexpected character'],
    [`{"a":"${SECRET}"`, "a ',' or '}' expected after a property value at position 31"],
    [`{${SECRET}}`, 'a property name expected at position 1'],
    [`[1]${SECRET}`, 'more data after the JSON value at position 3'],
    [`"${SECRET}`, 'an unterminated string at position 25'],
    [`{"${SECRET}\n":1}`, 'a control character inside a string at position 26'],
    [`{"${SECRET}" 1}`, "a ':' expected after a property name at position 28"],
    ['', 'the value ends before the JSON does'],
  ])('json: %j -> %s', (raw, problem) => {
    const error = (() => {
      try {
        jsonCodec.decode(Buffer.from(raw));
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(DecodeError);
    expect((error as Error).message).toBe(
      `Message value is not valid JSON: ${problem} (${raw.length} characters)`,
    );
    expect(texts(error)).not.toContain('4111');
  });

  it('a custom codec calling JSON.parse: its SyntaxError is described and dropped', () => {
    const codec: Codec = { name: 'orders', decode: (value) => JSON.parse(String(value)) };
    const error = (() => {
      try {
        decodeValue(codec, Buffer.from(`oops ${SECRET}`));
      } catch (caught) {
        return caught;
      }
    })();
    expect((error as Error).message).toBe(
      'Codec "orders" failed to decode the message value: an unexpected character (29 characters)',
    );
    expect(texts(error)).not.toContain('4111');
  });

  it("a custom codec's other error is kept as cause, its message not repeated", () => {
    const own = new RangeError('schema id 7 unknown');
    const codec: Codec = {
      name: 'avro',
      decode: () => {
        throw own;
      },
    };
    const error = (() => {
      try {
        decodeValue(codec, Buffer.from('x'));
      } catch (caught) {
        return caught as Error;
      }
    })();
    expect(error?.message).toBe('Codec "avro" failed to decode the message value (RangeError)');
    expect(error?.cause).toBe(own);
  });
});
