import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it, vi } from 'vitest';
import type { ClientBatch } from '../../src/client/port.js';
import { CommitPipeline } from '../../src/commit/pipeline.js';
import { TypedEmitter } from '../../src/events.js';
import { createConsumer, noopLogger } from '../../src/index.js';
import { OffsetTracker } from '../../src/processing/offsets.js';
import { fakeClient, keyed, options } from './support/fake-client.js';

/**
 * The sequences the second core design fixes, each driven on the fake client port. Every one of
 * them failed (or hung) on the first design; see the list.
 */

/** A timer scheduled now fires within `ms` (the event loop is not starved). */
const timerFires = (ms: number) =>
  new Promise<number>((resolve) => {
    const began = Date.now();
    setTimeout(() => resolve(Date.now() - began), 10);
    setTimeout(() => resolve(Number.POSITIVE_INFINITY), ms).unref();
  });

describe('core sequences (fake client)', () => {
  it('a stuck head under key ordering and per-message, with finished offsets too many for the metadata, blocks dispatch of that partition without starving the event loop', async () => {
    const fake = fakeClient();
    let release!: () => void;
    const stuck = new Promise<void>((resolve) => {
      release = resolve;
    });
    let done = 0;
    const c = createConsumer(
      options(
        async ({ message }) => {
          if (message.offset === '0') await stuck;
          done++;
        },
        // The whole backlog fits the buffer (the hot-key cap is another test's subject).
        { ordering: 'key', concurrency: 16, commit: 'per-message', maxBufferedPerPartition: 5000 },
      ),
      { clientFactory: fake.factory },
    );
    await c.run();
    // 4,000 messages: the hot key on every even offset (its head, offset 0, hangs), other keys on
    // the odd ones: ~2,000 single finished offsets above the head, far beyond the metadata's 4 KB.
    const messages = Array.from({ length: 4000 }, (_, i) => keyed(i, i % 2 === 0 ? 'hot' : `k${i}`));
    const feeding = (async () => {
      for (let i = 0; i < messages.length; i += 500) {
        await fake.hooks().onBatch(fake.batch([], { messages: messages.slice(i, i + 500) }));
      }
    })();
    await vi.waitFor(() => expect(done).toBeGreaterThan(1000), { timeout: 5000 });
    expect(await timerFires(1000)).toBeLessThan(1000);
    await vi.waitFor(
      () => expect(c.health().problems.join('\n')).toMatch(/t\[0\] blocked behind offset 0 since /),
      { timeout: 2000 },
    );
    expect(await timerFires(1000)).toBeLessThan(1000);
    release();
    await feeding;
    await vi.waitFor(
      () => expect(fake.commits.at(-1)?.offsets).toEqual([{ topic: 't', partition: 0, offset: '4000' }]),
      {
        timeout: 5000,
      },
    );
    expect(done).toBe(4000);
    expect(c.health().problems).toEqual([]);
    await c.disconnect();
  }, 20_000);

  it('a partition paused for back-pressure and then held stays paused when its buffer drains', async () => {
    const fake = fakeClient();
    const calls: string[] = [];
    fake.client.pause = (tps) => void calls.push(...tps.map((tp) => `pause ${tp.partition}`));
    fake.client.resume = (tps) => void calls.push(...tps.map((tp) => `resume ${tp.partition}`));
    const gates = new Map<string, () => void>();
    const c = createConsumer(
      options(
        async ({ message }) => {
          if (message.offset === '0') {
            await sleep(20);
            throw new Error('poison');
          }
          await new Promise<void>((resolve) => gates.set(message.offset, resolve));
        },
        {
          ordering: 'unordered',
          concurrency: 10,
          maxBufferedPerPartition: 4,
          retry: { maxRetries: 0 },
          deadLetter: false,
        },
      ),
      { clientFactory: fake.factory },
    );
    await c.run();
    fake.hooks().onAssigned([
      { topic: 't', partition: 0 },
      { topic: 't', partition: 1 },
    ]);
    // Offsets 1..4 wait in their handlers, the buffer (5 >= 4) pauses the fetch; offset 0 fails for good.
    await fake.hooks().onBatch(fake.batch([0, 1, 2, 3, 4]));
    await vi.waitFor(() => expect(c.health().stoppedPartitions).toEqual([{ topic: 't', partition: 0 }]));
    expect(calls).toContain('pause 0');
    calls.length = 0;
    for (const offset of ['1', '2', '3', '4']) gates.get(offset)?.();
    await vi.waitFor(() => expect(c.health().inFlight).toBe(0));
    expect(calls).not.toContain('resume 0');
    expect(c.health().stoppedPartitions).toEqual([{ topic: 't', partition: 0 }]);
    expect(c.resumePartition('t', 0)).toBe(true);
    expect(calls).toContain('resume 0');
    await c.disconnect();
  });

  it('a partition paused by a full buffer and then held is fetched again when released, although its parked messages were dropped, not finished', async () => {
    const fake = fakeClient();
    const calls: string[] = [];
    fake.client.pause = (tps) => void calls.push(...tps.map((tp) => `pause ${tp.partition}`));
    fake.client.resume = (tps) => void calls.push(...tps.map((tp) => `resume ${tp.partition}`));
    const sought: string[] = [];
    fake.client.seek = (tp, offset) => void sought.push(`${tp.partition}@${offset}`);
    // The commit in flight answers when the test says so.
    const acks: Array<() => void> = [];
    fake.client.commit = () => new Promise<void>((resolve) => acks.push(resolve));
    let fail!: () => void;
    const poisoned = new Promise<void>((resolve) => {
      fail = resolve;
    });
    const c = createConsumer(
      options(
        async ({ message }) => {
          if (message.offset === '0') {
            await poisoned;
            throw new Error('poison');
          }
        },
        {
          ordering: 'unordered',
          concurrency: 2,
          maxBufferedPerPartition: 3,
          commit: { strategy: 'per-message', maxUncommitted: 1 },
          retry: { maxRetries: 0 },
          deadLetter: false,
        },
      ),
      { clientFactory: fake.factory },
    );
    await c.run();
    fake.hooks().onAssigned([
      { topic: 't', partition: 0 },
      { topic: 't', partition: 1 },
    ]);
    calls.length = 0;
    // 0 hangs, 1 finishes: the window (1) is full and its commit is in flight, so 2..4 are parked;
    // the buffer (0 and the parked 2..4: 4 >= 3) pauses the fetch.
    await fake.hooks().onBatch(fake.batch([0, 1, 2, 3, 4]));
    await vi.waitFor(() => expect(acks.length).toBe(1));
    expect(calls).toEqual(['pause 0']);
    // 0 fails for good: held. The commit settles; the parked messages are dropped (never run).
    fail();
    await vi.waitFor(() => expect(c.health().stoppedPartitions).toEqual([{ topic: 't', partition: 0 }]));
    acks.shift()?.();
    await vi.waitFor(() => expect(c.health().inFlight).toBe(0));
    expect(calls).toEqual(['pause 0']);
    // Released: fetched again from offset 0, and nothing keeps it paused.
    expect(c.resumePartition('t', 0)).toBe(true);
    await vi.waitFor(() => expect(sought).toEqual(['0@0']));
    expect(calls).toEqual(['pause 0', 'resume 0']);
    await c.disconnect();
  });

  it('a commit requested just as the pipeline loop ends is still sent', async () => {
    for (let depth = 0; depth < 8; depth++) {
      const tracker = new OffsetTracker();
      tracker.newGeneration([{ topic: 't', partition: 0 }]);
      const sent: string[] = [];
      const events = new TypedEmitter(noopLogger);
      const pipeline = new CommitPipeline(
        tracker,
        async (offsets) => void sent.push(...offsets.map((o) => o.offset)),
        events,
        noopLogger,
        { withMetadata: false, attempts: 1, initialDelayMs: 0, onFailed: () => undefined },
      );
      const track = tracker.partition('t', 0).add([{ offset: '0' }, { offset: '1' }]);
      // The next finish and its request land `depth` microtasks after the first commit's ack.
      const later = async () => {
        for (let hop = 0; hop < depth; hop++) await Promise.resolve();
        tracker.partition('t', 0).finish(track, 1);
        pipeline.request('message');
      };
      events.once('offsets.committed', () => void later());
      tracker.partition('t', 0).finish(track, 0);
      pipeline.request('message');
      await vi.waitFor(() => expect(sent.at(-1)).toBe('2'), { timeout: 300 });
    }
  });

  it('a retry backoff ends when its generation is revoked: no attempt of the old generation starts after the re-join', async () => {
    const fake = fakeClient();
    const attempts: Array<{ attempt: number; generationAborted: boolean }> = [];
    const c = createConsumer(
      options(
        ({ attempt, signal }) => {
          attempts.push({ attempt, generationAborted: signal.aborted });
          if (attempt === 1) throw new Error('transient');
        },
        {
          ordering: 'key',
          concurrency: 4,
          rebalanceTimeoutMs: 1000,
          retry: { maxRetries: 3, initialDelayMs: 3000, maxDelayMs: 3000, jitter: 'none' },
        },
      ),
      { clientFactory: fake.factory },
    );
    let retryDueAt = Number.POSITIVE_INFINITY;
    c.on('message.retrying', (e) => {
      retryDueAt = Date.now() + e.delayMs;
    });
    await c.run();
    await fake.hooks().onBatch(fake.batch([0]));
    await vi.waitFor(() => expect(attempts).toHaveLength(1));
    // The revoke waits its bound (1 s), aborts the generation, then the group re-joins.
    await fake.hooks().beforeJoin();
    fake.hooks().onAssigned([{ topic: 't', partition: 0 }]);
    // Precondition: the old backoff is over, so the old attempt 2 would have started by now.
    await vi.waitFor(() => expect(Date.now()).toBeGreaterThan(retryDueAt + 200), {
      timeout: 5000,
      interval: 50,
    });
    expect(attempts).toEqual([{ attempt: 1, generationAborted: false }]);
    await fake.hooks().onBatch(fake.batch([0]));
    await vi.waitFor(() => expect(attempts).toHaveLength(2));
    expect(attempts[1]).toEqual({ attempt: 1, generationAborted: false });
    await c.disconnect();
  });

  it('a metadata read that never answers delays a new assignment by a bounded time, then messages run without the skip set', async () => {
    const fake = fakeClient();
    fake.client.committed = () => new Promise(() => undefined);
    const seen: string[] = [];
    const c = createConsumer(
      options(({ message }) => void seen.push(message.offset), { ordering: 'key' }),
      { clientFactory: fake.factory },
    );
    await c.run();
    const began = Date.now();
    await fake.hooks().onBatch(fake.batch([0, 1]));
    await vi.waitFor(() => expect(seen).toEqual(['0', '1']), { timeout: 8000 });
    expect(Date.now() - began).toBeLessThan(7000);
    await c.disconnect();
  }, 10_000);

  it('a listener added with once() can be removed with off()', () => {
    const events = new TypedEmitter(noopLogger);
    const seen: unknown[] = [];
    const listener = (e: unknown) => void seen.push(e);
    events.once('consumer.state', listener);
    events.off('consumer.state', listener);
    events.emit('consumer.state', { state: 'running', previous: 'idle' });
    expect(seen).toEqual([]);
    expect(events.has('consumer.state')).toBe(false);
  });

  it('pipeline: no commit is sent twice for the same offsets and metadata, none after close', async () => {
    const tracker = new OffsetTracker();
    tracker.newGeneration([{ topic: 't', partition: 0 }]);
    const sent: string[] = [];
    let fail = 1;
    const pipeline = new CommitPipeline(
      tracker,
      async (offsets) => {
        if (fail-- > 0) {
          const { CommitError } = await import('../../src/errors.js');
          throw new CommitError('coordinator moving', { retriable: true });
        }
        sent.push(offsets.map((o) => `${o.offset}|${o.metadata}`).join());
      },
      new TypedEmitter(noopLogger),
      noopLogger,
      { withMetadata: true, attempts: 5, initialDelayMs: 50, onFailed: () => undefined },
    );
    const track = tracker.partition('t', 0).add([{ offset: '0' }, { offset: '1' }, { offset: '2' }]);
    tracker.partition('t', 0).finish(track, 1);
    await pipeline.flush('message');
    await pipeline.flush('message');
    await pipeline.flush('message');
    expect(sent).toEqual(['0|kk1:1']);
    fail = 1;
    tracker.partition('t', 0).finish(track, 0);
    pipeline.request('message');
    // Precondition: that commit was tried and failed (retriable): a retry is due in 50 ms.
    expect(fail).toBe(0);
    pipeline.close();
    // The loop ends after its retry delay without sending (closed), and sends nothing after.
    await vi.waitFor(() => expect(pipeline.busy).toBe(false), { timeout: 2000, interval: 10 });
    expect(sent).toEqual(['0|kk1:1']);
  });
});

export type { ClientBatch };

describe('core sequences, smaller ones (fake client)', () => {
  it('a commit built in one generation is never sent in the next: its retry after a re-join is dropped', async () => {
    const tracker = new OffsetTracker();
    tracker.newGeneration([{ topic: 't', partition: 0 }]);
    const sent: string[] = [];
    let tries = 0;
    const { CommitError } = await import('../../src/errors.js');
    const pipeline = new CommitPipeline(
      tracker,
      async (offsets) => {
        tries++;
        if (tries === 1) {
          // The group re-joins while this commit is failing.
          tracker.newGeneration([{ topic: 't', partition: 0 }]);
          throw new CommitError('coordinator moving', { retriable: true });
        }
        sent.push(...offsets.map((o) => o.offset));
      },
      new TypedEmitter(noopLogger),
      noopLogger,
      { withMetadata: false, attempts: 5, initialDelayMs: 10, onFailed: () => undefined },
    );
    const track = tracker.partition('t', 0).add([{ offset: '0' }]);
    tracker.partition('t', 0).finish(track, 0);
    await pipeline.flush('message');
    expect(tries).toBe(1);
    expect(sent).toEqual([]);
  });

  it('many messages in backoff add one abort listener per signal, not one each', async () => {
    const { Generation } = await import('../../src/lifecycle.js');
    const stopping = new AbortController();
    const added = vi.spyOn(stopping.signal, 'addEventListener');
    const gen = new Generation(1, stopping.signal);
    const sleeps = Array.from({ length: 50 }, () => gen.sleeps.sleep(60_000));
    expect(added).toHaveBeenCalledTimes(1);
    gen.abort(new Error('revoked'));
    expect(await Promise.all(sleeps)).toEqual(Array(50).fill(false));
  });
});
