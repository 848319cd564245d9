import {
  consumeAll,
  createTopic,
  produceMessages,
  readCommittedOffsets,
  testClient,
  waitFor,
} from '@kafkakit/kafka-testkit';
import { ConfigResourceTypes } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { createKafkaJsFactory } from '../../src/client/kafkajs.js';
import type { ClientFactory } from '../../src/client/port.js';
import {
  DLQ_HEADERS,
  noopLogger,
  RetryTierError,
  type RetryTierInfo,
  TIER_HEADERS,
  TopicMissingError,
  type TopicPartition,
} from '../../src/index.js';
import { retryTierTopicName } from '../../src/naming.js';
import { brokers, cleanupTopic, consumer, record, text, topic } from './support.js';

const header = (headers: Record<string, unknown>, name: string) => text(headers[name] as Buffer | undefined);
const committedOf = async (groupId: string, t: string) =>
  (await readCommittedOffsets(brokers(), groupId, t))[0];

interface Call {
  value: string;
  attempt: number;
  topic: string;
  partition: number;
  offset: string;
  at: number;
  tier: RetryTierInfo | undefined;
  headers: string[];
}

/** A handler that records every call and fails `value` for its first `failures` attempts. */
function flaky(fails: Record<string, number>) {
  const calls: Call[] = [];
  const handler = async (ctx: {
    message: { value: Buffer | null; offset: string; headers?: Record<string, unknown> };
    attempt: number;
    topic: string;
    partition: number;
    retryTier?: RetryTierInfo;
  }) => {
    const value = text(ctx.message.value) ?? '';
    calls.push({
      value,
      attempt: ctx.attempt,
      topic: ctx.topic,
      partition: ctx.partition,
      offset: ctx.message.offset,
      at: Date.now(),
      tier: ctx.retryTier,
      headers: Object.keys(ctx.message.headers ?? {}),
    });
    if (ctx.attempt <= (fails[value] ?? 0)) throw new TypeError(`${value} failed at attempt ${ctx.attempt}`);
  };
  return { calls, handler, of: (value: string) => calls.filter((c) => c.value === value) };
}

/** The real KafkaJS factory, with the consumer client's pause/resume calls and times recorded. */
function watchedFactory(): {
  factory: ClientFactory;
  paused: Array<TopicPartition & { at: number; resumed: boolean }>;
} {
  const paused: Array<TopicPartition & { at: number; resumed: boolean }> = [];
  const real = createKafkaJsFactory({
    brokers: brokers(),
    clientId: 'kc-tiers',
    logger: noopLogger,
    ssl: undefined,
    sasl: undefined,
    joinHoldMs: 60_000,
  });
  const factory: ClientFactory = {
    ...real,
    producer: () => real.producer(),
    admin: () => real.admin(),
    consumer: (options) => {
      const client = real.consumer(options);
      const pause = client.pause.bind(client);
      const resume = client.resume.bind(client);
      client.pause = (tps) => {
        for (const tp of tps) paused.push({ ...tp, at: Date.now(), resumed: false });
        pause(tps);
      };
      client.resume = (tps) => {
        for (const tp of tps) paused.push({ ...tp, at: Date.now(), resumed: true });
        resume(tps);
      };
      return client;
    },
  };
  return { factory, paused };
}

describe('retry tiers', () => {
  it('a failing message waits out each tier delay, then comes back with its attempt carried on and its origin in ctx; the source partition keeps flowing', async () => {
    const source = await topic('kc-tier');
    await produceMessages(brokers(), source, [
      { key: 'order-7', value: 'flaky', headers: { 'trace-id': 't-1' } },
      { key: 'order-7', value: 'next' },
    ]);
    const f = flaky({ flaky: 2 });
    const c = consumer({
      topics: [source],
      retry: { maxRetries: 0, topics: [{ delay: '1s' }, { delay: 2000 }] },
      handler: f.handler,
    });
    const tier1 = retryTierTopicName(source, c.options.groupId, 1000);
    const tier2 = retryTierTopicName(source, c.options.groupId, 2000);
    expect(tier1).toBe(`${source}.${c.options.groupId}.retry.1s`);
    cleanupTopic(tier1);
    cleanupTopic(tier2);
    cleanupTopic(`${source}.dlq`);
    const events = record(c, 'message.retry-tiered', 'message.processed', 'message.dead-lettered');
    await c.run();
    await waitFor(() => f.of('flaky').length === 3, {
      timeoutMs: 20_000,
      message: 'three attempts of the flaky message',
    });

    const [first, second, third] = f.of('flaky') as [Call, Call, Call];
    expect([first.attempt, second.attempt, third.attempt]).toEqual([1, 2, 3]);
    // The handler sees the origin message at every attempt.
    for (const call of [first, second, third])
      expect(call).toMatchObject({ topic: source, partition: 0, offset: '0' });
    expect(first.tier).toBeUndefined();
    expect(second.tier).toMatchObject({ topic: tier1, partition: 0, offset: '0', tier: 1, delayMs: 1000 });
    expect(third.tier).toMatchObject({ topic: tier2, partition: 0, offset: '0', tier: 2, delayMs: 2000 });
    expect(second.headers).toEqual(['trace-id']);

    // Each delay is observed: at least the delay, at most the delay plus one second.
    const [toTier1, toTier2] = events['message.retry-tiered'] as unknown as [
      { dueAt: number; retryTopic: string },
      { dueAt: number; retryTopic: string },
    ];
    expect(toTier1.retryTopic).toBe(tier1);
    expect(toTier2.retryTopic).toBe(tier2);
    expect(second.at - first.at).toBeGreaterThanOrEqual(1000);
    expect(second.at).toBeGreaterThanOrEqual(toTier1.dueAt);
    expect(second.at - toTier1.dueAt).toBeLessThanOrEqual(1000);
    expect(third.at - second.at).toBeGreaterThanOrEqual(2000);
    expect(third.at).toBeGreaterThanOrEqual(toTier2.dueAt);
    expect(third.at - toTier2.dueAt).toBeLessThanOrEqual(1000);

    // The same key's next message overtook the waiting one: done within a second of the failure.
    const [next] = f.of('next') as [Call];
    expect(next.at - first.at).toBeLessThan(1000);
    expect(next.at).toBeLessThan(second.at);

    await waitFor(
      async () =>
        (await committedOf(c.options.groupId, source)) === '2' &&
        (await committedOf(c.options.groupId, tier1)) === '1' &&
        (await committedOf(c.options.groupId, tier2)) === '1',
      { timeoutMs: 15_000, message: 'source and both tiers committed' },
    );
    expect(events['message.dead-lettered']).toEqual([]);
  });

  it('after the last tier the message is dead-lettered naming its origin and the tiers it went through; each tier record carries the retry headers', async () => {
    const source = await topic('kc-tier-dlq');
    await produceMessages(brokers(), source, [{ key: 'k-1', value: 'always', headers: { tenant: 'acme' } }]);
    const f = flaky({ always: 99 });
    const c = consumer({
      topics: [source],
      retry: {
        maxRetries: 1,
        initialDelayMs: 10,
        maxDelayMs: 10,
        topics: [{ delay: '300ms' }, { delay: '600ms' }],
      },
      handler: f.handler,
    });
    const groupId = c.options.groupId;
    const tier1 = retryTierTopicName(source, groupId, 300);
    const tier2 = retryTierTopicName(source, groupId, 600);
    const dlq = `${source}.dlq`;
    for (const t of [tier1, tier2, dlq]) cleanupTopic(t);
    const before = Date.now();
    await c.run();
    await waitFor(async () => (await committedOf(groupId, tier2)) === '1', {
      timeoutMs: 20_000,
      message: 'the last tier committed past the dead-lettered record',
    });
    // Two calls in place (maxRetries 1), then one per tier: the attempt carries on.
    expect(f.calls.map((call) => call.attempt)).toEqual([1, 2, 3, 4]);

    const [dead] = await consumeAll(brokers(), dlq, 1, { timeoutMs: 15_000 });
    const h = dead?.headers as Record<string, unknown>;
    expect(text(dead?.key)).toBe('k-1');
    expect(text(dead?.value)).toBe('always');
    expect(header(h, 'tenant')).toBe('acme');
    expect(header(h, DLQ_HEADERS.sourceTopic)).toBe(source);
    expect(header(h, DLQ_HEADERS.sourceOffset)).toBe('0');
    expect(header(h, DLQ_HEADERS.id)).toBe(`${groupId}/${source}/0/0`);
    expect(header(h, DLQ_HEADERS.attempts)).toBe('4');
    expect(header(h, DLQ_HEADERS.retryTiers)).toBe('300ms,600ms');
    expect(Object.keys(h).filter((name) => name.startsWith('x-retry-'))).toEqual([]);

    const [inTier1] = await consumeAll(brokers(), tier1, 1, { timeoutMs: 15_000 });
    const t = inTier1?.headers as Record<string, unknown>;
    expect(text(inTier1?.key)).toBe('k-1');
    expect(header(t, 'tenant')).toBe('acme');
    expect(header(t, TIER_HEADERS.originTopic)).toBe(source);
    expect(header(t, TIER_HEADERS.originPartition)).toBe('0');
    expect(header(t, TIER_HEADERS.originOffset)).toBe('0');
    expect(header(t, TIER_HEADERS.originKey)).toBe('k-1');
    expect(header(t, TIER_HEADERS.consumerGroup)).toBe(groupId);
    expect(header(t, TIER_HEADERS.attempts)).toBe('2');
    expect(header(t, TIER_HEADERS.tier)).toBe('1');
    expect(header(t, TIER_HEADERS.tiers)).toBe('300ms');
    expect(header(t, TIER_HEADERS.errorName)).toBe('TypeError');
    expect(header(t, TIER_HEADERS.errorMessage)).toBe('always failed at attempt 2');
    const due = Date.parse(header(t, TIER_HEADERS.dueAt) ?? '');
    expect(due).toBeGreaterThanOrEqual(before + 300);
    expect(due).toBeLessThanOrEqual(Date.now());
  });

  it('a tier partition whose head is not due is paused, not fetched, until it is due (5 s tier)', async () => {
    // The issue asks for a 5-minute wait; at test settings a 5 s tier shows the same: one pause,
    // no batch of the tier partition while it waits, one resume at the due time.
    const source = await topic('kc-tier-pause');
    await produceMessages(brokers(), source, [{ value: 'once' }]);
    const f = flaky({ once: 1 });
    const { factory, paused } = watchedFactory();
    const c = consumer(
      { topics: [source], retry: { maxRetries: 0, topics: [{ delay: '5s' }] }, handler: f.handler },
      { clientFactory: factory },
    );
    const tier = retryTierTopicName(source, c.options.groupId, 5000);
    cleanupTopic(tier);
    cleanupTopic(`${source}.dlq`);
    const events = record(c, 'message.retry-tiered');
    const tierBatches: number[] = [];
    c.on('batch.received', (b) => {
      if (b.topic === tier) tierBatches.push(Date.now());
    });
    await c.run();
    await waitFor(() => f.of('once').length === 2, {
      timeoutMs: 20_000,
      message: 'handled again from the tier',
    });
    const dueAt = (events['message.retry-tiered'][0] as { dueAt: number }).dueAt;
    const tierCalls = paused.filter((p) => p.topic === tier);
    // Precondition: the tier partition was fetched, found not due, and paused (the assignment's own
    // resume comes before).
    const pause = tierCalls.find((p) => !p.resumed);
    expect(pause).toMatchObject({ partition: 0 });
    const pausedAt = (pause as { at: number }).at;
    const resumes = tierCalls.filter((p) => p.resumed && p.at >= pausedAt);
    expect(resumes).toHaveLength(1);
    const resumedAt = (resumes[0] as { at: number }).at;
    expect(resumedAt).toBeGreaterThanOrEqual(dueAt);
    expect(resumedAt - dueAt).toBeLessThan(1000);
    // During the wait no batch of the tier partition (its record is there, so any fetch of it would
    // deliver one): one before the pause, the next after the resume.
    expect(tierBatches.filter((at) => at > pausedAt && at < resumedAt)).toEqual([]);
    expect(tierBatches.filter((at) => at <= pausedAt)).toHaveLength(1);
    expect(resumedAt - pausedAt).toBeGreaterThan(4000);
    const second = f.of('once')[1] as Call;
    expect(second.at - dueAt).toBeLessThanOrEqual(1000);
    expect(second.at).toBeGreaterThanOrEqual(dueAt);
  });

  it('a failed tier write commits nothing: the partition is held, the write retried, and nothing is lost', async () => {
    const source = await topic('kc-tier-fail');
    const groupId = `kc-tier-fail-group-${Date.now()}`;
    const tier = retryTierTopicName(source, groupId, 1000);
    // The tier topic rejects records over 100 bytes, so every tier write fails (MESSAGE_TOO_LARGE).
    await createTopic(brokers(), tier, 1, { 'max.message.bytes': '100' });
    cleanupTopic(tier);
    cleanupTopic(`${source}.dlq`);
    await produceMessages(brokers(), source, [{ value: 'ok-0' }, { value: 'bad-1' }, { value: 'ok-2' }]);
    const f = flaky({ 'bad-1': 1 });
    const c = consumer({
      topics: [source],
      groupId,
      deadLetter: { writeAttempts: 2, recoveryDelayMs: 300 },
      retry: { maxRetries: 0, topics: [{ delay: '1s' }] },
      handler: f.handler,
    });
    const events = record(c, 'error', 'partition.paused', 'partition.resumed', 'message.retry-tiered');
    await c.run();
    await waitFor(() => events.error.length >= 2 && events['partition.resumed'].length >= 1, {
      timeoutMs: 20_000,
      message: 'two failed tier-write rounds with a resume in between',
    });
    expect(events.error[0]?.error).toBeInstanceOf(RetryTierError);
    expect(events['partition.paused'][0]).toMatchObject({
      topic: source,
      partition: 0,
      reason: 'dead-letter-failed',
    });
    expect(await committedOf(groupId, source)).toBe('1');
    expect(events['message.retry-tiered']).toEqual([]);
    expect(f.calls.map((call) => call.value)).toEqual(['ok-0', 'bad-1']);

    const admin = testClient(brokers()).admin();
    await admin.connect();
    await admin.alterConfigs({
      validateOnly: false,
      resources: [
        {
          type: ConfigResourceTypes.TOPIC,
          name: tier,
          configEntries: [{ name: 'max.message.bytes', value: '1048576' }],
        },
      ],
    });
    await admin.disconnect();
    await waitFor(async () => (await committedOf(groupId, source)) === '3' && f.of('bad-1').length === 2, {
      timeoutMs: 20_000,
      message: 'recovered: written to the tier, committed, handled again from it',
    });
    expect(f.of('bad-1')[1]).toMatchObject({ attempt: 2, topic: source, offset: '1' });
    expect(f.of('ok-2')).toHaveLength(1);
  });

  it('tier topics are checked at connect: with createTopics false a missing one fails the start naming it; two groups get their own', async () => {
    const source = await topic('kc-tier-check');
    const dlq = await topic('kc-tier-check-dlq');
    const c = consumer({
      topics: [source],
      deadLetter: { topic: dlq, createTopics: false },
      retry: { topics: [{ delay: '10s' }] },
      handler: () => undefined,
    });
    const tier = retryTierTopicName(source, c.options.groupId, 10_000);
    const error = await c.run().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TopicMissingError);
    expect((error as TopicMissingError).topic).toBe(tier);
    expect((error as Error).message).toContain(`Retry-tier topic "${tier}" does not exist`);
    expect((error as Error).message).toContain(`kafka-topics.sh --create --topic ${tier}`);
    // Created by default, one per group: two groups on one topic never share a tier.
    const a = consumer({ topics: [source], retry: { topics: [{ delay: '10s' }] }, handler: () => undefined });
    const b = consumer({ topics: [source], retry: { topics: [{ delay: '10s' }] }, handler: () => undefined });
    const tiers = [a, b].map((x) => retryTierTopicName(source, x.options.groupId, 10_000));
    for (const t of [...tiers, `${source}.dlq`]) cleanupTopic(t);
    await Promise.all([a.connect(), b.connect()]);
    expect(new Set(tiers).size).toBe(2);
    const admin = testClient(brokers()).admin();
    await admin.connect();
    const existing = await admin.listTopics().finally(() => admin.disconnect());
    expect(tiers.filter((t) => existing.includes(t))).toEqual(tiers);
  });

  it('tiers exhausted with the DLQ disabled: the tier partition stops, as a source partition does without a DLQ', async () => {
    const source = await topic('kc-tier-nodlq');
    await produceMessages(brokers(), source, [{ value: 'always' }]);
    const f = flaky({ always: 99 });
    const c = consumer({
      topics: [source],
      deadLetter: false,
      retry: { maxRetries: 0, topics: [{ delay: '200ms' }] },
      handler: f.handler,
    });
    const tier = retryTierTopicName(source, c.options.groupId, 200);
    cleanupTopic(tier);
    const events = record(c, 'partition.paused');
    await c.run();
    await waitFor(() => events['partition.paused'].length === 1, {
      timeoutMs: 20_000,
      message: 'the tier partition stopped',
    });
    expect(events['partition.paused'][0]).toMatchObject({
      topic: tier,
      partition: 0,
      reason: 'retries-exhausted',
    });
    expect(c.health().stoppedPartitions).toEqual([{ topic: tier, partition: 0 }]);
    expect(await committedOf(c.options.groupId, tier)).toBe('-1');
    expect(f.calls.map((call) => call.attempt)).toEqual([1, 2]);
  });
});
