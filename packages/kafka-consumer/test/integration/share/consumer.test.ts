import { setTimeout as sleep } from 'node:timers/promises';
import { consumeAll, testClient, uniqueName } from '@kafkakit/kafka-testkit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createShareConsumer,
  type KafkaConsumer,
  type MessageContext,
  noopLogger,
  type ShareConsumerOptions,
} from '../../../src/index.js';
import { brokers, earliestGroup, produceBatches, session, topic } from './support.js';

const consumers: KafkaConsumer[] = [];
afterEach(async () => {
  await Promise.all(consumers.splice(0).map((c) => c.disconnect().catch(() => undefined)));
});

function shareConsumer(
  options: Partial<ShareConsumerOptions> & Pick<ShareConsumerOptions, 'topics' | 'groupId' | 'handler'>,
) {
  const c = createShareConsumer({
    brokers: brokers(),
    maxWaitTimeMs: 200,
    retry: { maxRetries: 2, initialDelayMs: 10, maxDelayMs: 20 },
    shutdown: { signals: [], drainTimeoutMs: 3000 },
    logger: noopLogger,
    deadLetter: false,
    ...options,
  });
  consumers.push(c);
  return c;
}

const textOf = (ctx: MessageContext) => ctx.message.value?.toString() ?? '';

describe('createShareConsumer: the runtime on a share group', () => {
  it('three share consumers on one partition all run the handler and together finish every record once', async () => {
    const name = await topic('kc-sc-three');
    const groupId = await earliestGroup();
    const handled = new Map<string, number>();
    const byConsumer = [0, 0, 0];
    const all = [0, 1, 2].map((i) =>
      shareConsumer({
        topics: [name],
        groupId,
        concurrency: 5,
        handler: async (ctx) => {
          await sleep(5);
          byConsumer[i] = (byConsumer[i] ?? 0) + 1;
          handled.set(textOf(ctx), (handled.get(textOf(ctx)) ?? 0) + 1);
        },
      }),
    );
    await Promise.all(all.map((c) => c.run()));
    expect(all.map((c) => [c.health().status, c.health().assignedPartitions])).toEqual(
      all.map(() => ['healthy', [{ topic: name, partition: 0 }]]),
    );
    const sent = await produceBatches(name, 60, 5);
    await vi.waitFor(() => expect(handled.size).toBe(sent.length), { timeout: 30_000, interval: 100 });
    expect(byConsumer.every((n) => n > 0)).toBe(true);
    expect([...handled.values()].every((n) => n === 1)).toBe(true);
    // Every record was accepted: a new member of the group finds nothing left.
    await Promise.all(all.map((c) => c.disconnect()));
    const late = await session({ groupId, topics: [name] });
    expect(await late.fetch()).toEqual([]);
    console.info(`[share consumer] per consumer: ${byConsumer.join(', ')} of ${sent.length}`);
  });

  it('a failing handler is retried in place (attempt 2); out of retries without a DLQ the record is rejected, the rest go on', async () => {
    const name = await topic('kc-sc-retry');
    const groupId = await earliestGroup();
    const attempts: Array<[string, number]> = [];
    const c = shareConsumer({
      topics: [name],
      groupId,
      handler: async (ctx) => {
        attempts.push([textOf(ctx), ctx.attempt]);
        if (textOf(ctx) === 'm0' && ctx.attempt === 1) throw new Error('once');
        if (textOf(ctx) === 'm1') throw new Error('always');
      },
    });
    await c.run();
    await produceBatches(name, 1, 3);
    await vi.waitFor(() => expect(attempts.filter(([v]) => v === 'm2')).toHaveLength(1), { timeout: 20_000 });
    await vi.waitFor(() => expect(attempts.filter(([v]) => v === 'm1')).toHaveLength(3), { timeout: 20_000 });
    expect(attempts.filter(([v]) => v === 'm0')).toEqual([
      ['m0', 1],
      ['m0', 2],
    ]);
    // m1 was rejected after 3 attempts: a record produced later arrives, m1 does not come again.
    await produceBatches(name, 1, 1, 'late');
    await vi.waitFor(() => expect(attempts.map(([v]) => v)).toContain('late0'), { timeout: 20_000 });
    expect(attempts.filter(([v]) => v === 'm1')).toHaveLength(3);
  });

  it('out of retries with the DLQ on: the record is dead-lettered, then accepted (never redelivered)', async () => {
    const name = await topic('kc-sc-dlq');
    const groupId = await earliestGroup();
    const seen: string[] = [];
    const c = shareConsumer({
      topics: [name],
      groupId,
      deadLetter: { topic: `${name}.dlq` },
      handler: async (ctx) => {
        seen.push(textOf(ctx));
        if (textOf(ctx) === 'm0') throw new Error('poison');
      },
    });
    await c.run();
    await produceBatches(name, 1, 2);
    const [dead] = await consumeAll(brokers(), `${name}.dlq`, 1);
    expect(dead?.value?.toString()).toBe('m0');
    await c.disconnect();
    const late = await session({ groupId, topics: [name] });
    expect(await late.fetch()).toEqual([]);
    expect(seen.filter((v) => v === 'm0')).toHaveLength(3);
  });

  it('disconnect() finishes the running handler, accepts it and releases what did not start: another member takes it at once', async () => {
    const name = await topic('kc-sc-drain');
    const groupId = await earliestGroup();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const started: string[] = [];
    const first = shareConsumer({
      topics: [name],
      groupId,
      handler: async (ctx) => {
        started.push(textOf(ctx));
        await gate;
      },
    });
    await first.run();
    await produceBatches(name, 1, 10);
    await vi.waitFor(() => expect(started).toHaveLength(1), { timeout: 20_000 });
    const other = await session({ groupId, topics: [name] });
    const stopping = first.disconnect();
    release();
    const report = await stopping;
    expect(report.drained).toBe(true);
    const taken: string[] = [];
    const since = Date.now();
    await vi.waitFor(
      async () => {
        const records = await other.fetch();
        taken.push(...records.map((r) => r.value?.toString() ?? ''));
        await other.acknowledge(records, 'accept');
        expect(taken).toHaveLength(9);
      },
      { timeout: 10_000, interval: 0 },
    );
    expect(Date.now() - since).toBeLessThan(5000);
    const all = Array.from({ length: 10 }, (_, i) => `m${i}`);
    expect(taken.sort()).toEqual(all.filter((v) => v !== started[0]).sort());
  });

  it('run() rejects with the share-group failure: a group id of a consumer group is GROUP_TYPE_CONFLICT', async () => {
    const name = await topic('kc-sc-conflict');
    const groupId = uniqueName('kc-classic');
    const classic = testClient(brokers()).consumer({ groupId });
    await classic.connect();
    await classic.subscribe({ topics: [name] });
    const joined = new Promise<void>((resolve) => classic.on(classic.events.GROUP_JOIN, () => resolve()));
    await classic.run({ eachMessage: async () => undefined });
    await joined;
    try {
      const c = shareConsumer({ topics: [name], groupId, handler: async () => undefined });
      await expect(c.run()).rejects.toMatchObject({ name: 'ShareGroupError', code: 'GROUP_TYPE_CONFLICT' });
      expect(c.health().status).not.toBe('healthy');
    } finally {
      await classic.disconnect();
    }
  });
});
