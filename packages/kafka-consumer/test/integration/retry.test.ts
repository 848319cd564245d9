import { produceMessages, readCommittedOffsets, waitFor } from '@kafkakit/kafka-testkit';
import { describe, expect, it } from 'vitest';
import { brokers, consumer, record, topic } from './support.js';

describe('retries', () => {
  it('retries a throwing handler with a per-message attempt counter that reaches the handler', async () => {
    const source = await topic('kc-retry');
    await produceMessages(brokers(), source, 3);
    const calls: Array<[string, number]> = [];
    const c = consumer({
      topics: [source],
      retry: { maxRetries: 3, initialDelayMs: 20, maxDelayMs: 100 },
      handler: async ({ message, attempt }) => {
        calls.push([message.offset, attempt]);
        if (message.offset === '1' && attempt < 3) throw new Error(`transient failure ${attempt}`);
      },
    });
    const events = record(c, 'message.retrying', 'message.processed', 'message.dead-lettered');
    await c.run();
    await waitFor(async () => (await readCommittedOffsets(brokers(), c.options.groupId, source))[0] === '3', {
      message: 'all committed',
    });
    expect(calls).toEqual([
      ['0', 1],
      ['1', 1],
      ['1', 2],
      ['1', 3],
      ['2', 1],
    ]);
    expect(events['message.retrying'].map((e) => [e.offset, e.attempt, e.error.message])).toEqual([
      ['1', 1, 'transient failure 1'],
      ['1', 2, 'transient failure 2'],
    ]);
    for (const e of events['message.retrying']) expect(e.delayMs).toBeLessThanOrEqual(100);
    expect(events['message.processed'].find((e) => e.offset === '1')?.attempt).toBe(3);
    expect(events['message.dead-lettered']).toHaveLength(0);
  });

  it('keeps heartbeating during a backoff longer than the session timeout (no eviction)', async () => {
    const source = await topic('kc-retry-long');
    await produceMessages(brokers(), source, 1);
    const attempts: number[] = [];
    const c = consumer({
      topics: [source],
      sessionTimeoutMs: 6000,
      heartbeatIntervalMs: 1000,
      // No jitter: the one backoff is exactly 9 s, well past the 6 s session timeout.
      retry: { maxRetries: 1, initialDelayMs: 9000, maxDelayMs: 9000, jitter: 'none' },
      handler: async ({ attempt }) => {
        attempts.push(attempt);
        if (attempt === 1) throw new Error('first attempt fails');
      },
    });
    const events = record(c, 'group.rebalanced', 'consumer.crashed', 'message.retrying', 'error');
    await c.run();
    await waitFor(() => attempts.length === 2, {
      timeoutMs: 20_000,
      message: 'second attempt after the backoff',
    });
    await waitFor(async () => (await readCommittedOffsets(brokers(), c.options.groupId, source))[0] === '1', {
      message: 'committed',
    });
    expect(events['message.retrying'][0]?.delayMs).toBe(9000);
    // Joined once and never again: the coordinator did not evict the member during the 9 s wait.
    expect(events['group.rebalanced']).toHaveLength(1);
    expect(events['consumer.crashed']).toHaveLength(0);
    expect(events.error).toHaveLength(0);
  }, 40_000);

  it('interrupts a backoff on disconnect without committing the unfinished message', async () => {
    const source = await topic('kc-retry-stop');
    await produceMessages(brokers(), source, 2);
    let calls = 0;
    const c = consumer({
      topics: [source],
      retry: { maxRetries: 5, initialDelayMs: 30_000, maxDelayMs: 30_000, jitter: 'none' },
      handler: async ({ message }) => {
        if (message.offset === '1') {
          calls++;
          throw new Error('fails');
        }
      },
    });
    await c.run();
    await waitFor(() => calls === 1, { message: 'first failure' });
    const started = Date.now();
    const report = await c.disconnect();
    expect(Date.now() - started).toBeLessThan(3000);
    expect(report.drained).toBe(true);
    expect((await readCommittedOffsets(brokers(), c.options.groupId, source))[0]).toBe('1');
  });
});
