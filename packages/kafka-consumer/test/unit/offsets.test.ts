import { describe, expect, it } from 'vitest';
import { decodeFinished, encodeFinished, METADATA_LIMIT } from '../../src/processing/metadata.js';
import { OffsetTracker } from '../../src/processing/offsets.js';

const msgs = (...offsets: number[]) => offsets.map((o) => ({ offset: String(o) }));

describe('OffsetTracker', () => {
  it('has nothing to commit before a message of the generation finished (nothing changed)', () => {
    const t = new OffsetTracker();
    t.partition('a', 0);
    expect(t.pending(true)).toEqual([]);
    const b = t.partition('a', 0).add(msgs(7, 8));
    expect(t.pending(true)).toEqual([]);
    t.partition('a', 0).finish(b, 0);
    expect(t.pending(true)).toEqual([{ topic: 'a', partition: 0, offset: '8', metadata: null }]);
  });

  it('commits last finished + 1 when messages finish in order (the Kafka convention)', () => {
    const t = new OffsetTracker();
    const p = t.partition('a', 0);
    const b = p.add(msgs(5, 6, 7));
    p.finish(b, 0);
    p.finish(b, 1);
    expect(t.pending(false)).toEqual([{ topic: 'a', partition: 0, offset: '7', metadata: null }]);
    p.finish(b, 2);
    expect(t.pending(false)).toEqual([{ topic: 'a', partition: 0, offset: '8', metadata: null }]);
  });

  it('never commits past an unfinished message when later ones finish first, and lists those in metadata', () => {
    const t = new OffsetTracker();
    const p = t.partition('a', 0);
    const b = p.add(msgs(10, 11, 12, 13, 14));
    p.finish(b, 0);
    p.finish(b, 2);
    p.finish(b, 3);
    const [pending] = t.pending(true);
    expect(pending?.offset).toBe('11');
    expect([...decodeFinished(11n, pending?.metadata)]).toEqual(['12', '13']);
    p.finish(b, 1);
    expect(t.pending(true)[0]).toMatchObject({ offset: '14', metadata: null });
  });

  it('a batch that ended early stops tracking its unstarted rest; the refetched batch continues', () => {
    const t = new OffsetTracker();
    const p = t.partition('a', 0);
    const first = p.add(msgs(0, 1, 2, 3));
    p.finish(first, 0);
    p.close(first, 1);
    expect(t.pending(false)[0]?.offset).toBe('1');
    const again = p.add(msgs(1, 2, 3));
    p.finish(again, 0);
    expect(t.pending(false)[0]?.offset).toBe('2');
  });

  it('records an acknowledgement only in the generation the commit was built in', () => {
    const t = new OffsetTracker();
    const p = t.partition('a', 0);
    const b = p.add(msgs(0, 1));
    p.finish(b, 0);
    const offsets = t.pending(false);
    const counts = t.counts(offsets);
    const generation = t.generation;
    t.newGeneration([{ topic: 'a', partition: 0 }]);
    expect(t.acknowledged(offsets, counts, generation)).toBe(false);
    expect(t.partition('a', 0).committed).toBe(-1n);
  });

  it('counts finished-but-unacknowledged messages per partition (per-message back-pressure)', () => {
    const t = new OffsetTracker();
    const p = t.partition('a', 0);
    const b = p.add(msgs(0, 1, 2));
    p.finish(b, 0);
    p.finish(b, 1);
    const offsets = t.pending(false);
    expect(t.acknowledged(offsets, t.counts(offsets), t.generation)).toBe(true);
    expect(p.uncommitted).toBe(0);
    p.finish(b, 2);
    expect(p.uncommitted).toBe(1);
    expect(t.pending(false)[0]?.offset).toBe('3');
  });
});

describe('commit metadata', () => {
  it('round-trips finished offsets as relative runs', () => {
    const finished = [12n, 13n, 14n, 20n, 1000n];
    const encoded = encodeFinished(11n, finished) as string;
    expect(encoded).toBe('kk1:1+2,9,rh');
    expect([...decodeFinished(11n, encoded)].map(BigInt)).toEqual(finished);
  });

  it('returns undefined when the runs would not fit Kafka’s default metadata limit', () => {
    const scattered = Array.from({ length: 2000 }, (_, i) => BigInt(i * 2 + 1));
    expect(encodeFinished(0n, scattered)).toBeUndefined();
    const runs = Array.from({ length: 100 }, (_, i) => BigInt(i * 2 + 1));
    expect((encodeFinished(0n, runs) as string).length).toBeLessThanOrEqual(METADATA_LIMIT);
  });

  it('ignores metadata that is not ours or is malformed', () => {
    expect(decodeFinished(5n, null).size).toBe(0);
    expect(decodeFinished(5n, 'some other client').size).toBe(0);
    expect(decodeFinished(5n, 'kk1:zz?').size).toBe(0);
  });
});
