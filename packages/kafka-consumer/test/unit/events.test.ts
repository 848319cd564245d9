import { describe, expect, it } from 'vitest';
import { TypedEmitter } from '../../src/events.js';
import { noopLogger } from '../../src/index.js';

const payload = { topic: 't', partition: 0, offset: '1', attempt: 1, durationMs: 2 };

describe('TypedEmitter', () => {
  it('reports whether anyone listens, so the hot path can skip building payloads', () => {
    const e = new TypedEmitter(noopLogger);
    expect(e.has('message.processed')).toBe(false);
    const off = e.on('message.processed', () => undefined);
    expect(e.has('message.processed')).toBe(true);
    off();
    expect(e.has('message.processed')).toBe(false);
  });

  it('delivers payloads to every listener; once() fires once', () => {
    const e = new TypedEmitter(noopLogger);
    const seen: string[] = [];
    e.on('message.processed', (p) => seen.push(`on:${p.offset}`));
    e.once('message.processed', (p) => seen.push(`once:${p.offset}`));
    e.emit('message.processed', payload);
    e.emit('message.processed', { ...payload, offset: '2' });
    expect(seen).toEqual(['on:1', 'once:1', 'on:2']);
  });

  it('isolates throwing and rejecting listeners and reports them as error events', async () => {
    const logged: unknown[] = [];
    const e = new TypedEmitter({ ...noopLogger, error: (obj) => void logged.push(obj) });
    const errors: string[] = [];
    const seen: string[] = [];
    e.on('error', (p) => errors.push(p.error.message));
    e.on('message.processed', () => {
      throw new Error('sync listener bug');
    });
    e.on('message.processed', (async () => {
      throw new Error('async listener bug');
    }) as () => void);
    e.on('message.processed', () => seen.push('third still runs'));
    expect(() => e.emit('message.processed', payload)).not.toThrow();
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen).toEqual(['third still runs']);
    expect(errors).toEqual(['sync listener bug', 'async listener bug']);
    expect(logged).toHaveLength(2);
  });

  it('a throwing error listener does not recurse', () => {
    const e = new TypedEmitter(noopLogger);
    e.on('error', () => {
      throw new Error('error listener bug');
    });
    expect(() => e.emit('error', { error: new Error('x') })).not.toThrow();
  });
});
