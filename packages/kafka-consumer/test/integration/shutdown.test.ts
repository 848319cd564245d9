import { produceMessages, readCommittedOffsets, testClient, waitFor } from '@kafkakit/kafka-testkit';
import { describe, expect, it } from 'vitest';
import { DrainTimeoutError } from '../../src/index.js';
import { brokers, consumer, record, topic } from './support.js';

describe('graceful shutdown (in process)', () => {
  it('an idle consumer stops within 1 s, leaves the group and reports the lifecycle in health and events', async () => {
    const source = await topic('kc-idle');
    // Default maxWaitTimeMs (500): the fetch long poll must not hold the stop past 1 s.
    const c = consumer({ topics: [source], maxWaitTimeMs: 500, handler: () => undefined });
    const events = record(c, 'group.rebalanced', 'consumer.stopped');
    expect(c.health()).toMatchObject({ status: 'starting', connected: false, running: false, inFlight: 0 });
    await c.connect();
    expect(c.health().connected).toBe(true);
    await c.run();
    await waitFor(() => c.health().status === 'healthy', { message: 'healthy after join' });
    expect(c.health().assignedPartitions).toEqual([{ topic: source, partition: 0 }]);
    expect(events['group.rebalanced'][0]).toMatchObject({
      assigned: [{ topic: source, partition: 0 }],
      revoked: [],
    });
    // Let it sit in a long poll for a moment.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const started = Date.now();
    const report = await c.disconnect();
    const took = Date.now() - started;
    if (process.env.KC_TEST_LOG !== undefined) process.stderr.write(`idle stop took ${took} ms\n`);
    expect(took).toBeLessThan(1000);
    expect(report).toMatchObject({ drained: true, abandoned: 0 });
    expect(events['consumer.stopped']).toHaveLength(1);
    expect(c.health()).toMatchObject({ status: 'stopped', connected: false });
    // It left the group (no waiting for the session timeout before partitions move).
    const admin = testClient(brokers()).admin();
    await admin.connect();
    const { groups } = await admin.describeGroups([c.options.groupId]);
    await admin.disconnect();
    expect(groups[0]?.members).toEqual([]);
    // Idempotent: a second call returns the same report without doing anything again.
    expect(await c.disconnect()).toBe(report);
  });

  it('lets an in-flight handler finish and commits it', async () => {
    const source = await topic('kc-drain');
    await produceMessages(brokers(), source, 3);
    let entered = false;
    const done: string[] = [];
    const c = consumer({
      topics: [source],
      shutdown: { signals: [], drainTimeoutMs: 5000 },
      handler: async ({ message }) => {
        if (message.offset === '1') {
          entered = true;
          await new Promise((resolve) => setTimeout(resolve, 700));
        }
        done.push(message.offset);
      },
    });
    await c.run();
    await waitFor(() => entered, { message: 'handler running' });
    const report = await c.disconnect();
    expect(report.drained).toBe(true);
    expect(done).toEqual(['0', '1']);
    expect((await readCommittedOffsets(brokers(), c.options.groupId, source))[0]).toBe('2');
  });

  it('a stuck handler: disconnect resolves after drainTimeoutMs, aborts the signal, and the message is redelivered', async () => {
    const source = await topic('kc-stuck');
    await produceMessages(brokers(), source, 3);
    let signal: AbortSignal | undefined;
    const first = consumer({
      topics: [source],
      commit: 'per-message',
      shutdown: { signals: [], drainTimeoutMs: 800 },
      handler: async ({ message, signal: s }) => {
        if (message.offset === '1') {
          signal = s;
          await new Promise(() => undefined); // never resolves, ignores the signal
        }
      },
    });
    await first.run();
    await waitFor(() => signal !== undefined, { message: 'stuck handler entered' });
    expect(first.health().inFlight).toBe(1);
    const started = Date.now();
    const report = await first.disconnect();
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(750);
    expect(took).toBeLessThan(800 + 2000);
    expect(report).toMatchObject({ drained: false, abandoned: 1 });
    expect(signal?.aborted).toBe(true);
    expect(signal?.reason).toBeInstanceOf(DrainTimeoutError);
    const groupId = first.options.groupId;
    expect((await readCommittedOffsets(brokers(), groupId, source))[0]).toBe('1');

    const redelivered: string[] = [];
    const second = consumer({
      topics: [source],
      groupId,
      handler: ({ message }) => void redelivered.push(message.offset),
    });
    const events = record(second, 'message.processed');
    await second.run();
    await waitFor(() => redelivered.length === 2, { message: 'redelivered' });
    expect(redelivered).toEqual(['1', '2']);
    expect(events['message.processed']).toHaveLength(2);
  });

  it('isolates a throwing event listener from the processing loop', async () => {
    const source = await topic('kc-listener');
    await produceMessages(brokers(), source, 3);
    const seen: string[] = [];
    const c = consumer({ topics: [source], handler: ({ message }) => void seen.push(message.offset) });
    const errors = record(c, 'error').error;
    c.on('message.processed', () => {
      throw new Error('listener bug');
    });
    await c.run();
    await waitFor(() => seen.length === 3, { message: 'all processed despite the listener' });
    await waitFor(async () => (await readCommittedOffsets(brokers(), c.options.groupId, source))[0] === '3', {
      message: 'committed',
    });
    expect(errors.map((e) => e.error.message)).toEqual(['listener bug', 'listener bug', 'listener bug']);
  });
});
