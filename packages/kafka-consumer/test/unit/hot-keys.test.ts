import { describe, expect, it, vi } from 'vitest';
import { createConsumer } from '../../src/index.js';
import type { ConsumedMessage, TopicPartition } from '../../src/types.js';
import { fakeClient, keyed, options } from './support/fake-client.js';

/**
 * Hot keys with bounded memory, on the fake client: a lane that holds its share of the buffer lets its
 * later messages go (offsets only) and reads them again beside the fetch once it drained.
 */

/** The log: offsets 0..n-1, the even ones on 'hot', the odd ones on keys of their own. */
const log = (n: number) => Array.from({ length: n }, (_, i) => keyed(i, i % 2 === 0 ? 'hot' : `k${i}`));

/** A gate the hot key's handler waits on, one release per call. */
function gate() {
  const waiting: Array<() => void> = [];
  return {
    wait: () => new Promise<void>((resolve) => waiting.push(resolve)),
    releaseOne: () => waiting.shift()?.(),
    get waiting() {
      return waiting.length;
    },
  };
}

function setup(
  messages: ConsumedMessage[],
  read: (tp: TopicPartition, offset: string) => Promise<ConsumedMessage[]> = async (_tp, offset) =>
    messages.filter((m) => BigInt(m.offset) >= BigInt(offset)).slice(0, 6),
) {
  const fake = fakeClient();
  const reads: string[] = [];
  fake.client.fetchFrom = (tp, offset) => {
    reads.push(offset);
    return read(tp, offset);
  };
  const hot = gate();
  const handled: string[] = [];
  const c = createConsumer(
    options(
      async ({ message }) => {
        if (String(message.key) === 'hot') await hot.wait();
        handled.push(message.offset);
      },
      // An eighth of the buffer: a lane keeps 4 waiting messages.
      { ordering: 'key', concurrency: 4, commit: 'per-batch', maxBufferedPerPartition: 32 },
    ),
    { clientFactory: fake.factory },
  );
  return { fake, reads, hot, handled, c };
}

const hotOrder = (handled: readonly string[]) => handled.map(Number).filter((o) => o % 2 === 0);

describe('hot keys with bounded memory (fake client)', () => {
  it("a hot lane keeps an eighth of the buffer, lets the rest go and reads it again from its lowest let-go offset once it drained to half of that; the hot key's order holds and the commit never passes a let-go offset", async () => {
    const messages = log(40);
    const { fake, reads, hot, handled, c } = setup(messages);
    await c.run();
    const fed = fake.hooks().onBatch(fake.batch([], { messages }));
    // The other keys all ran although the hot key's head hangs (the lane keeps 4 of its 20).
    await vi.waitFor(() => expect(handled.length).toBe(20));
    expect(reads).toEqual([]);
    // Nothing past offset 0 (the hot head) is committable.
    expect(fake.commits.every((commit) => commit.offsets.every((o) => o.offset === '0'))).toBe(true);
    // Draining the lane to half its share (2 waiting) reads again from the first let-go offset:
    // the lane held 0, 2, 4, 6 (the head running, three waiting) + 8; 10 and up were let go.
    for (let i = 0; i < 3; i++) {
      await vi.waitFor(() => expect(hot.waiting).toBe(1));
      hot.releaseOne();
      await vi.waitFor(() => expect(hotOrder(handled).length).toBe(i + 1));
    }
    await vi.waitFor(() => expect(reads[0]).toBe('10'));
    while (hotOrder(handled).length < 20) {
      await vi.waitFor(() => expect(hot.waiting).toBe(1));
      hot.releaseOne();
      await vi.waitFor(() => expect(hotOrder(handled).length).toBeGreaterThan(0));
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(hotOrder(handled)).toEqual(Array.from({ length: 20 }, (_, i) => i * 2));
    expect(new Set(handled).size).toBe(40);
    // Every read started at the lowest offset the lane had let go, and moved forward.
    const starts = reads.map(Number);
    expect([...starts].sort((a, b) => a - b)).toEqual(starts);
    await fed;
    await fake.hooks().onBatch(fake.batch([], { messages: [keyed(40, 'k40')] }));
    await vi.waitFor(() =>
      expect(fake.commits.at(-1)?.offsets).toEqual([{ topic: 't', partition: 0, offset: '41' }]),
    );
    await c.disconnect();
  });

  it('a read that comes back after a revoke starts nothing: the new generation fetches from the committed offset', async () => {
    const messages = log(40);
    let answer!: (messages: ConsumedMessage[]) => void;
    const { fake, reads, hot, handled, c } = setup(
      messages,
      () =>
        new Promise<ConsumedMessage[]>((resolve) => {
          answer = resolve;
        }),
    );
    await c.run();
    void fake.hooks().onBatch(fake.batch([], { messages }));
    for (let i = 0; i < 3; i++) {
      await vi.waitFor(() => expect(hot.waiting).toBe(1));
      hot.releaseOne();
    }
    await vi.waitFor(() => expect(reads).toEqual(['10']));
    // The read is in flight: the group rebalances (the hot call running finishes inside the
    // revoke) and this member gets the partition again.
    await vi.waitFor(() => expect(hot.waiting).toBe(1));
    fake.hooks().onRebalancing();
    hot.releaseOne();
    await fake.hooks().beforeJoin();
    fake.hooks().onAssigned([{ topic: 't', partition: 0 }]);
    const before = handled.length;
    answer(messages.slice(10, 16));
    // The answer is taken in within a few microtasks; a turn of the event loop covers them.
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    // None of the revoked generation's let-go messages started.
    expect(handled.slice(before).filter((o) => Number(o) >= 10)).toEqual([]);
    await c.disconnect();
  });

  it('let-go offsets the log no longer has (compacted away before the read) are finished, so the commit moves past them', async () => {
    const messages = log(40);
    // The read returns everything from the offset asked but the hot messages 10 and 12.
    const { fake, reads, hot, handled, c } = setup(messages, async (_tp, offset) =>
      messages.filter((m) => BigInt(m.offset) >= BigInt(offset) && m.offset !== '10' && m.offset !== '12'),
    );
    await c.run();
    const fed = fake.hooks().onBatch(fake.batch([], { messages }));
    await vi.waitFor(() => expect(handled.length).toBe(20));
    while (hotOrder(handled).length < 18) {
      await vi.waitFor(() => expect(hot.waiting).toBe(1));
      hot.releaseOne();
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(reads[0]).toBe('10');
    expect(hotOrder(handled)).not.toContain(10);
    expect(hotOrder(handled)).not.toContain(12);
    await fed;
    await fake.hooks().onBatch(fake.batch([], { messages: [keyed(40, 'k40')] }));
    await vi.waitFor(() =>
      expect(fake.commits.at(-1)?.offsets).toEqual([{ topic: 't', partition: 0, offset: '41' }]),
    );
    await c.disconnect();
  });

  it('a failed read is tried again', async () => {
    const messages = log(40);
    let failures = 1;
    const { fake, reads, hot, handled, c } = setup(messages, async (_tp, offset) => {
      if (failures-- > 0) throw new Error('leader moved');
      return messages.filter((m) => BigInt(m.offset) >= BigInt(offset));
    });
    await c.run();
    void fake.hooks().onBatch(fake.batch([], { messages }));
    for (let i = 0; i < 3; i++) {
      await vi.waitFor(() => expect(hot.waiting).toBe(1));
      hot.releaseOne();
    }
    await vi.waitFor(() => expect(reads.slice(0, 2)).toEqual(['10', '10']), { timeout: 2000 });
    while (hotOrder(handled).length < 20) {
      await vi.waitFor(() => expect(hot.waiting).toBe(1));
      hot.releaseOne();
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(hotOrder(handled)).toEqual(Array.from({ length: 20 }, (_, i) => i * 2));
    await c.disconnect();
  });
});
