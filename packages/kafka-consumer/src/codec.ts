import { DecodeError } from './errors.js';

/** Turns a raw message value into what the handler receives as `value`. Throwing means "cannot decode". */
export interface Codec<T = unknown> {
  readonly name: string;
  decode(value: Buffer | null): T;
}

/** Default codec: the handler gets the raw `Buffer | null`. */
export const rawCodec: Codec<Buffer | null> = { name: 'raw', decode: (value) => value };

/**
 * JSON.parse's problems, as fixed words. Node's own SyntaxError messages quote the payload
 * (`Unexpected token 'o', "not json" is not valid JSON`), and a decode error ends up in logs and in
 * the DLQ's x-dlq-error-message / x-dlq-error-stack headers, so only these words and numbers leave.
 */
const JSON_PROBLEMS: ReadonlyArray<[RegExp, string]> = [
  [/^Unexpected end of JSON input/, 'the value ends before the JSON does'],
  [/^Unexpected non-whitespace character after JSON/, 'more data after the JSON value'],
  [/^Unterminated string/, 'an unterminated string'],
  [/^Bad control character/, 'a control character inside a string'],
  [/^Bad escaped character|^Bad Unicode escape/, 'a bad escape sequence inside a string'],
  [/^Expected property name/, 'a property name expected'],
  [/^Expected ':'/, "a ':' expected after a property name"],
  [/^Expected ',' or '}'/, "a ',' or '}' expected after a property value"],
  [/^Expected ',' or ']'/, "a ',' or ']' expected after an array element"],
  [/^Unexpected token|^Unexpected number|^Unexpected string/, 'an unexpected character'],
];

/** What is wrong with a value JSON.parse refused, without a single character of it. */
export function describeJsonSyntaxError(error: unknown, length: number): string {
  const text = error instanceof Error ? error.message : '';
  const problem = JSON_PROBLEMS.find(([pattern]) => pattern.test(text))?.[1] ?? 'a syntax error';
  const position = /at position (\d+)/.exec(text)?.[1];
  return `${problem}${position === undefined ? '' : ` at position ${position}`} (${length} characters)`;
}

/**
 * JSON codec: UTF-8 JSON; a null value decodes to null; invalid JSON is a DecodeError (straight to
 * the DLQ) naming the problem and its position, never the content. The SyntaxError is deliberately
 * not kept as `cause`: its message quotes the payload, and causes are logged.
 */
export const jsonCodec: Codec<unknown> = {
  name: 'json',
  decode(value) {
    if (value === null) return null;
    const text = value.toString('utf8');
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw new DecodeError(
        `Message value is not valid JSON: ${describeJsonSyntaxError(error, text.length)}`,
      );
    }
  },
};

/**
 * Runs a codec and normalises any failure to a DecodeError (never retried). The DecodeError's
 * message (what the DLQ headers carry) never repeats the codec's own message, which may quote the
 * payload; a SyntaxError (a custom codec calling JSON.parse) is described with fixed words and
 * dropped; any other error is kept as `cause`, so a custom codec keeps content out of its errors.
 */
export function decodeValue<T>(codec: Codec<T>, value: Buffer | null): T {
  try {
    return codec.decode(value);
  } catch (error) {
    if (error instanceof DecodeError) throw error;
    const prefix = `Codec "${codec.name}" failed to decode the message value`;
    if (error instanceof SyntaxError)
      throw new DecodeError(`${prefix}: ${describeJsonSyntaxError(error, value?.length ?? 0)}`);
    const type = error instanceof Error ? error.constructor.name : typeof error;
    throw new DecodeError(`${prefix} (${type})`, {
      cause: error,
    });
  }
}
