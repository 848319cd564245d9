import { describe, expect, it } from 'vitest';
import { ClientError, CommitError, createJsonLogger, serialiseError } from '../../src/index.js';

const capture = () => {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createJsonLogger({ level: 'debug', write: (line) => lines.push(JSON.parse(line)) });
  return { logger, lines };
};

describe('JSON logger error serialisation (pino-compatible err)', () => {
  it('keeps type, message, stack, own fields and the whole cause chain', () => {
    const { logger, lines } = capture();
    const root = Object.assign(new Error('connect ECONNREFUSED'), {
      code: 'ECONNREFUSED',
      errno: -111,
      type: 'UNKNOWN_MEMBER_ID',
    });
    const middle = new TypeError('broker unreachable', { cause: root });
    const top = new CommitError('Committing offsets (batch) failed', { cause: middle });
    logger.error({ err: top, topic: 't' }, 'offset commit failed');
    const [line] = lines;
    expect(line).toMatchObject({ level: 50, msg: 'offset commit failed', topic: 't' });
    const err = line?.err as Record<string, unknown>;
    expect(err).toMatchObject({
      type: 'CommitError',
      message: 'Committing offsets (batch) failed',
      code: 'COMMIT_FAILED',
    });
    expect(String(err.stack)).toContain('CommitError: Committing offsets (batch) failed');
    expect(err.cause).toMatchObject({
      type: 'TypeError',
      message: 'broker unreachable',
      cause: {
        type: 'Error',
        message: 'connect ECONNREFUSED',
        code: 'ECONNREFUSED',
        errno: -111,
        errorType: 'UNKNOWN_MEMBER_ID',
      },
    });
    expect(String((err.cause as { stack: string }).stack)).toContain('TypeError: broker unreachable');
  });

  it('cuts cause cycles, serialises AggregateError members and never throws on BigInt or cycles', () => {
    const { logger, lines } = capture();
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    (a as { cause?: unknown }).cause = b;
    logger.error({ err: new AggregateError([a, 'not an error'], 'several') });
    const err = lines[0]?.err as { errors: unknown[] };
    expect(err.errors[0]).toMatchObject({ message: 'a', cause: { message: 'b', cause: '[Circular]' } });
    expect(err.errors[1]).toBe('not an error');
    const cyclic: Record<string, unknown> = { n: 1n };
    cyclic.self = cyclic;
    expect(() => logger.info({ cyclic, big: 2n }, 'odd values')).not.toThrow();
    expect(lines[1]).toMatchObject({ msg: 'odd values', big: '2', cyclic: '[Unserializable]' });
  });
});

describe('serialiseError as pino err serializer', () => {
  it('keeps the stack, the error code and the whole cause chain in pino lines', async () => {
    const { pino } = await import('pino');
    const lines: string[] = [];
    const log = pino(
      { level: 'info', serializers: { err: serialiseError } },
      { write: (line: string) => void lines.push(line) },
    );
    const root = new Error('socket closed');
    log.error(
      { err: new ClientError('Could not connect the consumer', { cause: root, retriable: true }) },
      'x',
    );
    const { err } = JSON.parse(lines[0] as string) as {
      err: {
        type: string;
        message: string;
        stack: string;
        code: string;
        cause: { message: string; stack: string };
      };
    };
    expect(err).toMatchObject({
      type: 'ClientError',
      code: 'CLIENT_FAILED',
      message: 'Could not connect the consumer',
    });
    expect(err.stack).toContain('ClientError: Could not connect the consumer');
    expect(err.cause.message).toBe('socket closed');
    expect(err.cause.stack).toContain('Error: socket closed');
  });
});
