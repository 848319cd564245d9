import { describe, expect, it } from 'vitest';
import { OffsetTracker } from '../../src/processing/offsets.js';

describe('OffsetTracker', () => {
  it('has nothing pending before any message finished', () => {
    const t = new OffsetTracker();
    expect(t.pending()).toEqual([]);
    expect(t.hasPending()).toBe(false);
  });

  it('a partition that was seen but finished nothing has nothing to commit', () => {
    const t = new OffsetTracker();
    t.partition('a', 0);
    expect(t.pending()).toEqual([]);
    expect(t.hasPending()).toBe(false);
    t.partition('a', 0).finish('0');
    expect(t.pending()).toEqual([{ topic: 'a', partition: 0, offset: '1' }]);
  });

  it('reports last finished + 1 per partition, the Kafka commit convention', () => {
    const t = new OffsetTracker();
    t.finish('a', 0, '0');
    t.finish('a', 0, '1');
    t.finish('a', 1, '41');
    t.finish('b', 0, '9007199254740993'); // beyond Number precision
    expect(t.pending()).toEqual([
      { topic: 'a', partition: 0, offset: '2' },
      { topic: 'a', partition: 1, offset: '42' },
      { topic: 'b', partition: 0, offset: '9007199254740994' },
    ]);
  });

  it('never moves backwards and never commits past the last finished message', () => {
    const t = new OffsetTracker();
    t.finish('a', 0, '5');
    t.finish('a', 0, '3');
    expect(t.pending()).toEqual([{ topic: 'a', partition: 0, offset: '6' }]);
    expect(t.lastFinished('a', 0)).toBe('5');
  });

  it('drops committed offsets from pending until more messages finish', () => {
    const t = new OffsetTracker();
    t.finish('a', 0, '1');
    t.committed(t.pending());
    expect(t.hasPending()).toBe(false);
    expect(t.pending()).toEqual([]);
    t.finish('a', 0, '2');
    expect(t.pending()).toEqual([{ topic: 'a', partition: 0, offset: '3' }]);
  });

  it('a new generation forgets every finished offset, also of kept partitions, and a commit never regresses', () => {
    const t = new OffsetTracker();
    t.finish('a', 0, '9');
    t.committed([{ topic: 'a', partition: 0, offset: '5' }]);
    t.finish('a', 1, '1');
    t.finish('a', 2, '7');
    const stale = t.partition('a', 2);
    t.newGeneration([
      { topic: 'a', partition: 0 },
      { topic: 'a', partition: 1 },
    ]);
    expect(t.pending()).toEqual([]);
    stale.finish('8'); // a batch of the previous generation finishing late: counts nowhere
    expect(t.pending()).toEqual([]);
    t.finish('a', 0, '3'); // redelivered below the committed position
    expect(t.pending()).toEqual([]);
    t.finish('a', 0, '5');
    expect(t.pending()).toEqual([{ topic: 'a', partition: 0, offset: '6' }]);
  });
});
