import {
  produceMessages,
  readCommittedOffsets,
  testClient,
  uniqueName,
  waitFor,
} from '@kafkakit/kafka-testkit';
import { describe, expect, it } from 'vitest';
import type { MessageContext } from '../../src/index.js';
import { brokers, consumer, record, topic } from './support.js';

interface Call {
  key: string;
  offset: number;
  start: number;
  end: number;
}

/** Records every handler call's key, offset and time span; tracks the most calls in flight. */
function recorder(delayMs: number) {
  const calls: Call[] = [];
  let running = 0;
  let peak = 0;
  const handler = async ({ message }: MessageContext) => {
    running++;
    peak = Math.max(peak, running);
    const call = {
      key: String(message.key),
      offset: Number(message.offset),
      start: performance.now(),
      end: 0,
    };
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    call.end = performance.now();
    calls.push(call);
    running--;
  };
  return { calls, handler, peak: () => peak };
}

/** Two calls of one key never overlap and a key's offsets only increase. */
function expectKeyOrder(calls: readonly Call[]): void {
  const byKey = new Map<string, Call[]>();
  for (const c of calls) byKey.set(c.key, [...(byKey.get(c.key) ?? []), c]);
  for (const [key, list] of byKey) {
    const sorted = [...list].sort((a, b) => a.start - b.start);
    for (let i = 1; i < sorted.length; i++) {
      const prev = sorted[i - 1] as Call;
      const cur = sorted[i] as Call;
      expect(
        cur.start,
        `key ${key}: ${cur.offset} started before ${prev.offset} ended`,
      ).toBeGreaterThanOrEqual(prev.end);
      expect(cur.offset, `key ${key}: offsets go backwards`).toBeGreaterThan(prev.offset);
    }
  }
}

const keyed = (keys: number, perKey: number) =>
  Array.from({ length: keys * perKey }, (_, i) => ({ key: `k${i % keys}`, value: `m${i}` }));

describe('ordering', () => {
  it("'key': one call at a time per key in offset order, different keys in parallel up to concurrency", async () => {
    const source = await topic('kc-key');
    await produceMessages(brokers(), source, keyed(20, 10));
    const r = recorder(5);
    const c = consumer({ topics: [source], ordering: 'key', concurrency: 8, handler: r.handler });
    await c.run();
    await waitFor(() => r.calls.length === 200, { timeoutMs: 30_000, message: 'all 200 processed' });
    expect(new Set(r.calls.map((x) => x.offset)).size).toBe(200);
    expectKeyOrder(r.calls);
    expect(r.peak()).toBeGreaterThan(1);
    expect(r.peak()).toBeLessThanOrEqual(8);
    await waitFor(
      async () => (await readCommittedOffsets(brokers(), c.options.groupId, source))[0] === '200',
      {
        message: 'committed to the end',
      },
    );
  });

  it("'unordered': messages of one key run beside each other", async () => {
    const source = await topic('kc-unordered');
    await produceMessages(brokers(), source, keyed(1, 40));
    const r = recorder(20);
    const c = consumer({ topics: [source], ordering: 'unordered', concurrency: 4, handler: r.handler });
    await c.run();
    await waitFor(() => r.calls.length === 40, { timeoutMs: 30_000, message: 'all processed' });
    expect(r.peak()).toBe(4);
  });

  it("'key': a message in retry backoff holds only its key; the commit never passes it", async () => {
    const source = await topic('kc-key-retry');
    await produceMessages(brokers(), source, keyed(4, 5));
    const done: number[] = [];
    let failures = 0;
    const c = consumer({
      topics: [source],
      ordering: 'key',
      concurrency: 4,
      commit: { strategy: 'interval', intervalMs: 50 },
      retry: { maxRetries: 3, initialDelayMs: 2000, maxDelayMs: 2000, jitter: 'none' },
      handler: async ({ message }) => {
        if (message.offset === '2' && failures++ === 0) throw new Error('transient');
        done.push(Number(message.offset));
      },
    });
    const events = record(c, 'message.retrying', 'offsets.committed');
    await c.run();
    await waitFor(() => events['message.retrying'].length === 1, { message: 'offset 2 is in backoff' });
    // Every other key finishes while key k2 waits; k2's later messages (6, 10, ...) wait behind offset 2.
    await waitFor(() => done.length === 15, { message: 'other keys done during the backoff' });
    expect(done.filter((o) => o % 4 === 2)).toEqual([]);
    // Commits go on during the backoff (offsets 0 and 1 are committable) but never pass offset 2.
    await waitFor(async () => (await readCommittedOffsets(brokers(), c.options.groupId, source))[0] === '2', {
      message: 'committed up to the message in backoff',
    });
    // The interval timer fires every 50 ms, but nothing changed: no commit repeats the last one.
    const before = events['offsets.committed'].length;
    const repeated = await new Promise<number>((resolve) =>
      setTimeout(() => resolve(events['offsets.committed'].length - before), 500),
    );
    expect(done.filter((o) => o % 4 === 2)).toEqual([]);
    expect(repeated).toBe(0);
    expect(events['offsets.committed'].every((e) => Number(e.offsets[0]?.offset) <= 2)).toBe(true);
    await waitFor(() => done.length === 20, {
      timeoutMs: 10_000,
      message: 'offset 2 retried and key k2 done',
    });
    expect(done.filter((o) => o % 4 === 2)).toEqual([2, 6, 10, 14, 18]);
    await waitFor(
      async () => (await readCommittedOffsets(brokers(), c.options.groupId, source))[0] === '20',
      {
        message: 'committed to the end',
      },
    );
  });

  it('finished offsets above the commit travel in its metadata: a restart redelivers only the unfinished message', async () => {
    const source = await topic('kc-key-meta');
    await produceMessages(brokers(), source, keyed(5, 4));
    const groupId = uniqueName('kc-meta-group');
    let blocking = true;
    const first: number[] = [];
    const a = consumer({
      topics: [source],
      groupId,
      ordering: 'key',
      concurrency: 5,
      shutdown: { signals: [], drainTimeoutMs: 300 },
      handler: async ({ message, signal }) => {
        if (message.offset === '0' && blocking) {
          await new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
        }
        first.push(Number(message.offset));
      },
    });
    await a.run();
    // Everything but key k0 (offsets 0, 5, 10, 15) finishes while offset 0 hangs.
    await waitFor(() => first.length === 16, { message: 'other keys finished' });
    const report = await a.disconnect();
    expect(report).toMatchObject({ drained: false, abandoned: 1 });
    const admin = testClient(brokers()).admin();
    await admin.connect();
    const [entry] = await admin.fetchOffsets({ groupId, topics: [source] });
    await admin.disconnect();
    expect(entry?.partitions[0]?.offset).toBe('0');
    expect(entry?.partitions[0]?.metadata).toMatch(/^kk1:/);

    blocking = false;
    const second: number[] = [];
    const b = consumer({
      topics: [source],
      groupId,
      ordering: 'key',
      concurrency: 5,
      handler: ({ message }) => void second.push(Number(message.offset)),
    });
    await b.run();
    await waitFor(async () => (await readCommittedOffsets(brokers(), groupId, source))[0] === '20', {
      message: 'committed to the end after the restart',
    });
    expect(second.sort((x, y) => x - y)).toEqual([0, 5, 10, 15]);
  });
});

describe("'key' ordering: a partition held", () => {
  it('deadLetter: false stops the partition; resumePartition delivers the failed message again and skips what finished', async () => {
    const source = await topic('kc-key-stop');
    await produceMessages(brokers(), source, keyed(4, 3));
    let healed = false;
    const calls: number[] = [];
    const c = consumer({
      topics: [source],
      ordering: 'key',
      concurrency: 4,
      deadLetter: false,
      retry: { maxRetries: 1, initialDelayMs: 10, maxDelayMs: 10 },
      handler: async ({ message }) => {
        calls.push(Number(message.offset));
        if (message.offset === '1' && !healed) throw new Error('downstream is down');
      },
    });
    const events = record(c, 'partition.paused');
    await c.run();
    await waitFor(() => events['partition.paused'].length === 1, { message: 'partition stopped' });
    expect(c.health().stoppedPartitions).toEqual([{ topic: source, partition: 0 }]);
    await waitFor(async () => (await readCommittedOffsets(brokers(), c.options.groupId, source))[0] === '1', {
      message: 'committed up to the failed message, never past it',
    });
    const before = [...calls];
    expect(before.filter((o) => o === 1)).toEqual([1, 1]);
    healed = true;
    expect(c.resumePartition(source, 0)).toBe(true);
    await waitFor(
      async () => (await readCommittedOffsets(brokers(), c.options.groupId, source))[0] === '12',
      {
        message: 'resumed partition finished',
      },
    );
    const after = calls.slice(before.length);
    // Offset 1 and whatever had not finished come again; nothing that finished runs twice.
    expect(after).toContain(1);
    const finishedBefore = before.filter((o) => o !== 1);
    for (const o of after) expect(finishedBefore).not.toContain(o);
    expect(new Set(calls).size).toBe(12);
  });
});

describe("'key' ordering: backoff", () => {
  it('a message in retry backoff gives its concurrency slot back: with concurrency 1 other keys still run', async () => {
    const source = await topic('kc-key-slot');
    await produceMessages(brokers(), source, keyed(3, 3));
    const done: number[] = [];
    let failures = 0;
    const c = consumer({
      topics: [source],
      ordering: 'key',
      concurrency: 1,
      retry: { maxRetries: 3, initialDelayMs: 1500, maxDelayMs: 1500, jitter: 'none' },
      handler: async ({ message }) => {
        if (message.offset === '0' && failures++ === 0) throw new Error('transient');
        done.push(Number(message.offset));
      },
    });
    const events = record(c, 'message.retrying', 'message.processed');
    await c.run();
    await waitFor(() => events['message.retrying'].length === 1, { message: 'offset 0 is in backoff' });
    // Keys k1 and k2 (6 messages) finish while k0 waits, although only one call may run at a time.
    await waitFor(() => done.length === 6, { message: 'other keys done during the backoff' });
    expect(done.includes(0)).toBe(false);
    await waitFor(() => done.length === 9, { timeoutMs: 10_000, message: 'all done' });
    expect(done.filter((o) => o % 3 === 0)).toEqual([0, 3, 6]);
  });
});
