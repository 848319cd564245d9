import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import type { MessageContext } from '../../src/index.js';
import { parentContext, parseTraceparent, withTracing } from '../../src/observability/tracing/index.js';

const TP = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('traceparent parsing', () => {
  it('reads a W3C traceparent (Buffer or string) with its tracestate as a remote parent', () => {
    const parent = parseTraceparent({ traceparent: Buffer.from(TP), tracestate: 'v=1' });
    expect(parent).toMatchObject({
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      traceFlags: 1,
      isRemote: true,
    });
    expect(parent?.traceState?.get('v')).toBe('1');
    expect(trace.getSpanContext(parentContext({ traceparent: TP }))?.spanId).toBe('00f067aa0ba902b7');
  });

  it('ignores malformed, all-zero and version ff traceparents', () => {
    for (const bad of [
      'garbage',
      '00-00000000000000000000000000000000-00f067aa0ba902b7-01',
      '00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01',
      'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      `${TP}-extra`,
    ]) {
      expect(parseTraceparent({ traceparent: bad })).toBeUndefined();
    }
    expect(parentContext(undefined)).toBe(ROOT_CONTEXT);
  });

  it('without an SDK the wrapper is transparent: same result, same errors, sync stays sync', async () => {
    const ctx = {
      topic: 't',
      partition: 0,
      attempt: 1,
      message: { offset: '0', key: null, headers: {} },
    } as unknown as MessageContext;
    let calls = 0;
    expect(withTracing(() => void calls++)(ctx)).toBeUndefined();
    await expect(withTracing(async () => void calls++)(ctx)).resolves.toBeUndefined();
    await expect(
      withTracing(async () => {
        throw new Error('boom');
      })(ctx),
    ).rejects.toThrow('boom');
    expect(calls).toBe(2);
  });
});
