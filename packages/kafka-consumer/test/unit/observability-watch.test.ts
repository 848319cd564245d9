import { describe, expect, it } from 'vitest';
import { buildDeadLetterHeaders } from '../../src/index.js';
import { PartitionBook } from '../../src/observability/watch/partition-book.js';
import { findStuck, type StuckInput } from '../../src/observability/watch/stuck.js';

describe('PartitionBook (lag bookkeeping)', () => {
  it('lag is end minus committed; before any commit, end minus where this member started reading', () => {
    const book = new PartitionBook(true);
    book.assign([{ topic: 't', partition: 0 }], 0);
    const facts = () => book.get('t', 0) as NonNullable<ReturnType<PartitionBook['get']>>;
    expect(book.lag(facts())).toBeUndefined();
    book.refreshed('t', 0, { end: 10, start: 2 });
    expect(book.lag(facts())).toBe(8);
    book.fetched('t', 0, 12, 4);
    expect(book.lag(facts())).toBe(8);
    book.committed('t', 0, 7);
    expect(book.lag(facts())).toBe(5);
  });

  it('an admin answer older than a commit does not overwrite it; ends never move back', () => {
    const book = new PartitionBook(false);
    book.assign([{ topic: 't', partition: 0 }], 0);
    const seq = book.get('t', 0)?.commitSeq;
    book.committed('t', 0, 9);
    book.refreshed('t', 0, { end: 8, committed: 5, seq });
    expect(book.get('t', 0)).toMatchObject({ committed: 9, end: 8 });
    book.refreshed('t', 0, { end: 6, committed: 11, seq: book.get('t', 0)?.commitSeq });
    expect(book.get('t', 0)).toMatchObject({ committed: 11, end: 8 });
  });

  it('without fromBeginning and before the first fetch or commit, the lag is 0 (the member starts at the end)', () => {
    const book = new PartitionBook(false);
    book.assign([{ topic: 't', partition: 0 }], 0);
    book.refreshed('t', 0, { end: 50, start: 0, committed: null, seq: 0 });
    expect(book.lag(book.get('t', 0) as never)).toBe(0);
  });

  it('a new assignment drops partitions that left and resets progress of those that stayed', () => {
    const book = new PartitionBook(true);
    book.assign(
      [
        { topic: 't', partition: 0 },
        { topic: 't', partition: 1 },
      ],
      0,
    );
    book.progressed('t', 0, 5);
    const gone = book.assign([{ topic: 't', partition: 0 }], 100);
    expect(gone.map((p) => p.partition)).toEqual([1]);
    expect(book.get('t', 0)?.progressAt).toBe(100);
    expect(book.get('t', 1)).toBeUndefined();
  });
});

describe('dead-letter headers', () => {
  it('keep the W3C trace context (traceparent, tracestate) of the source record', () => {
    const headers = buildDeadLetterHeaders(
      {
        traceparent: Buffer.from('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'),
        tracestate: 'a=b',
      },
      {
        topic: 't',
        partition: 0,
        offset: '1',
        timestamp: '0',
        groupId: 'g',
        error: new Error('x'),
        attempts: 1,
        failedAt: new Date(0),
      },
    );
    expect(String(headers.traceparent)).toBe('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01');
    expect(headers.tracestate).toBe('a=b');
  });
});

describe('PartitionBook progress', () => {
  it('finished messages are counted on the hot path and become progress at the next sample', () => {
    const book = new PartitionBook(true);
    book.assign(
      [
        { topic: 't', partition: 0 },
        { topic: 't', partition: 1 },
      ],
      0,
    );
    book.finish('t', 0);
    book.finish('t', 0);
    book.finish('other', 0);
    expect(book.get('t', 0)?.progressAt).toBe(0);
    book.sample(50);
    expect([book.get('t', 0)?.progressAt, book.get('t', 1)?.progressAt]).toEqual([50, 0]);
    book.sample(90);
    expect(book.get('t', 0)?.progressAt).toBe(50);
  });
});

describe('the stuck rule', () => {
  const part = (over: Partial<StuckInput>): StuckInput => ({
    topic: 't',
    partition: 0,
    lag: 3,
    progressAt: 0,
    waitingSince: 0,
    held: false,
    ...over,
  });

  it('lag and nothing finished anywhere for stuckAfterMs: stuck, with the waiting partitions', () => {
    expect(
      findStuck([part({}), part({ partition: 1, lag: 0, waitingSince: undefined })], 1000, 1000),
    ).toEqual([{ topic: 't', partition: 0, lag: 3, waitingSeconds: 1 }]);
    expect(findStuck([part({})], 999, 1000)).toEqual([]);
  });

  it('a partition idle for long that just got lag is not stuck until it waited stuckAfterMs', () => {
    expect(findStuck([part({ progressAt: 0, waitingSince: 5000 })], 5500, 1000)).toEqual([]);
    expect(findStuck([part({ progressAt: 0, waitingSince: 5000 })], 6000, 1000)).toHaveLength(1);
  });

  it('progress on another partition means the consumer is busy, not stuck', () => {
    expect(findStuck([part({}), part({ partition: 1, lag: 0, progressAt: 900 })], 1500, 1000)).toEqual([]);
  });

  it('held partitions and unknown lag never count', () => {
    expect(findStuck([part({ held: true }), part({ partition: 1, lag: undefined })], 10_000, 1000)).toEqual(
      [],
    );
  });
});
