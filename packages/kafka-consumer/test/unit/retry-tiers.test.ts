import { describe, expect, it, vi } from 'vitest';
import type { ClientBatch, ConsumerClient } from '../../src/client/port.js';
import { TypedEmitter } from '../../src/events.js';
import {
  buildDeadLetterHeaders,
  buildTierHeaders,
  ConfigError,
  type ConsumerOptions,
  DLQ_HEADERS,
  type KafkaConsumerError,
  loadOptionsFromEnv,
  noopLogger,
  readTierHeaders,
  resolveOptions,
  TIER_HEADERS,
} from '../../src/index.js';
import { isRetryTierTopic, parseDelay, retryTierTopicName } from '../../src/naming.js';
import { PartitionControl } from '../../src/processing/partitions.js';
import { RetryTiers } from '../../src/retry-tiers/tiers.js';
import type { ConsumedMessage } from '../../src/types.js';

const base: ConsumerOptions = {
  brokers: ['localhost:9092'],
  groupId: 'billing',
  topics: ['orders.placed'],
  handler: async () => undefined,
};

function issuesOf(options: unknown): string[] {
  try {
    resolveOptions(options as ConsumerOptions);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return [...(error as ConfigError).issues];
  }
  throw new Error('expected a ConfigError');
}

const tiersOf = (topics: unknown) => issuesOf({ ...base, retry: { topics } });

describe('retry.topics option', () => {
  it('has no tiers by default', () => {
    expect(resolveOptions(base).retry.topics).toEqual([]);
  });

  it('takes milliseconds or duration strings and resolves them to delayMs', () => {
    const o = resolveOptions({
      ...base,
      retry: {
        topics: [{ delay: 250 }, { delay: '10s' }, { delay: '5m' }, { delay: '1h' }, { delay: '2h' }],
      },
    });
    expect(o.retry.topics).toEqual([
      { delayMs: 250 },
      { delayMs: 10_000 },
      { delayMs: 300_000 },
      { delayMs: 3_600_000 },
      { delayMs: 7_200_000 },
    ]);
  });

  it.each([
    [
      [{ delay: '10s' }, { delay: '5s' }],
      'retry.topics.1.delay: must be longer than the tier before it (10s)',
    ],
    [
      [{ delay: '10s' }, { delay: 10_000 }],
      'retry.topics.1.delay: must be longer than the tier before it (10s)',
    ],
    [
      [{ delay: '10 minutes' }],
      'retry.topics.0.delay: "10 minutes" is not a delay; use e.g. "10s", "5m", "1h", "250ms" or milliseconds',
    ],
    [
      [{ delay: 50 }],
      'retry.topics.0.delay: must be a whole number of milliseconds from 100 (100ms) to 604800000 (168h), got 50',
    ],
    [[{ delay: '8d' }], 'retry.topics.0.delay: "8d" is not a delay'],
    [
      [{ delay: '169h' }],
      'retry.topics.0.delay: must be a whole number of milliseconds from 100 (100ms) to 604800000 (168h), got "169h"',
    ],
    [[{ delay: 1.5 }], 'retry.topics.0.delay: must be a whole number of milliseconds'],
    [[{ delay: true }], 'retry.topics.0.delay: must be milliseconds or a duration such as "10s" or "5m"'],
    [[{}], 'retry.topics.0.delay: must be milliseconds or a duration such as "10s" or "5m"'],
    [[{ delay: '1s', topic: 'x' }], 'retry.topics.0.topic: unknown option, remove it or check its spelling'],
    ['10s', 'retry.topics: must be an array of tiers, e.g. [{ delay: "10s" }, { delay: "5m" }]'],
    [
      Array.from({ length: 11 }, (_, i) => ({ delay: (i + 1) * 1000 })),
      'retry.topics: must list at most 10 tiers',
    ],
  ])('refuses %j with a message saying what to do', (topics, expected) => {
    expect(tiersOf(topics).join('\n')).toContain(expected);
  });

  it('refuses a tier topic name Kafka would not accept, and tiers on a share group', () => {
    expect(
      issuesOf({ ...base, groupId: 'g'.repeat(230), retry: { topics: [{ delay: '1s' }] } }).join(),
    ).toContain('is not a valid topic name');
    expect(issuesOf({ ...base, groupType: 'share', retry: { topics: [{ delay: '1s' }] } }).join()).toContain(
      'retry.topics: not an option of a share consumer',
    );
  });

  it('reads KAFKA_RETRY_TOPICS=10s,5m and names the variable in its errors', () => {
    const env = { KAFKA_BROKERS: 'a:9092', KAFKA_TOPICS: 't', KAFKA_GROUP_ID: 'g' };
    expect(loadOptionsFromEnv({ ...env, KAFKA_RETRY_TOPICS: '10s, 5m' }).retry).toEqual({
      topics: [{ delay: '10s' }, { delay: '5m' }],
    });
    expect(loadOptionsFromEnv({ ...env, KAFKA_RETRY_TOPICS: '' }).retry).toBeUndefined();
    expect(loadOptionsFromEnv({ ...env, KAFKA_RETRY_TOPICS: 'none' }).retry).toEqual({ topics: [] });
    let message = '';
    try {
      loadOptionsFromEnv({ ...env, KAFKA_RETRY_TOPICS: '5m,10s' });
    } catch (error) {
      message = (error as KafkaConsumerError).message;
    }
    expect(message).toContain('KAFKA_RETRY_TOPICS: must be longer than the tier before it (5m)');
  });
});

describe('tier naming', () => {
  it('names a tier by source topic, group and delay; two groups never share one', () => {
    expect(retryTierTopicName('orders.placed', 'billing', 10_000)).toBe('orders.placed.billing.retry.10s');
    expect(retryTierTopicName('orders.placed', 'shipping', 10_000)).not.toBe(
      retryTierTopicName('orders.placed', 'billing', 10_000),
    );
    expect(retryTierTopicName('t', 'g', 300_000)).toBe('t.g.retry.5m');
    expect(retryTierTopicName('t', 'g', 1500)).toBe('t.g.retry.1500ms');
    expect(isRetryTierTopic('t.g.retry.1500ms')).toBe(true);
    expect(isRetryTierTopic('t.dlq')).toBe(false);
    expect(parseDelay('250ms')).toBe(250);
    expect(parseDelay('42')).toBe(42);
  });
});

const message = (over: Partial<ConsumedMessage> = {}): ConsumedMessage => ({
  key: Buffer.from('order-7'),
  value: Buffer.from('v'),
  timestamp: '1700000000000',
  attributes: 0,
  offset: '41',
  headers: { 'trace-id': 't-1' },
  ...over,
});

describe('tier headers', () => {
  const facts = {
    origin: { topic: 'orders.placed', partition: 3, offset: '41', timestamp: '1700000000000' },
    groupId: 'billing',
    attempts: 4,
    tier: 2,
    tiers: '10s,5m',
    dueAt: new Date('2026-01-01T00:05:00.000Z'),
    error: Object.assign(new TypeError('x'.repeat(1200)), { code: 'E_DOWN' }),
  };

  it('keeps the original headers and adds origin, key, attempts, tier, due time and error', () => {
    const h = buildTierHeaders({ 'trace-id': 't-1' }, Buffer.from('order-7'), facts);
    expect(h).toMatchObject({
      'trace-id': 't-1',
      [TIER_HEADERS.originTopic]: 'orders.placed',
      [TIER_HEADERS.originPartition]: '3',
      [TIER_HEADERS.originOffset]: '41',
      [TIER_HEADERS.originTimestamp]: '1700000000000',
      [TIER_HEADERS.originKey]: Buffer.from('order-7'),
      [TIER_HEADERS.consumerGroup]: 'billing',
      [TIER_HEADERS.attempts]: '4',
      [TIER_HEADERS.tier]: '2',
      [TIER_HEADERS.tiers]: '10s,5m',
      [TIER_HEADERS.dueAt]: '2026-01-01T00:05:00.000Z',
      [TIER_HEADERS.errorName]: 'TypeError',
      [TIER_HEADERS.errorCode]: 'E_DOWN',
    });
    // The DLQ's message limit, shared.
    expect((h[TIER_HEADERS.errorMessage] as string).length).toBe(1000);
    expect(buildTierHeaders(undefined, null, facts)[TIER_HEADERS.originKey]).toBeUndefined();
  });

  it('reads back what it wrote (any header as Buffer), and refuses records without them', () => {
    const raw = buildTierHeaders({ a: 'b' }, null, facts);
    const asBuffers = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Buffer.from(String(v))]));
    expect(readTierHeaders(message({ headers: asBuffers }))).toEqual({
      origin: facts.origin,
      attempts: 4,
      tier: 2,
      tiers: '10s,5m',
      dueAt: facts.dueAt.getTime(),
    });
    expect(readTierHeaders(message())).toBeUndefined();
  });

  it('a later tier replaces the earlier x-retry-* headers; the DLQ record names the tiers it went through', () => {
    const first = buildTierHeaders({ keep: 'me' }, null, { ...facts, error: new Error('e') });
    const second = buildTierHeaders(first, null, { ...facts, tier: 3, error: new Error('e') });
    expect(second[TIER_HEADERS.tier]).toBe('3');
    expect(second[TIER_HEADERS.errorCode]).toBeUndefined();
    const dlq = buildDeadLetterHeaders(
      { keep: 'me' },
      {
        ...facts.origin,
        groupId: 'billing',
        error: new Error('e'),
        attempts: 4,
        failedAt: new Date(),
        retryTiers: '10s,5m',
      },
    );
    expect(dlq[DLQ_HEADERS.retryTiers]).toBe('10s,5m');
    expect(
      buildDeadLetterHeaders(dlq, {
        ...facts.origin,
        groupId: 'g',
        error: new Error('e'),
        attempts: 1,
        failedAt: new Date(),
      })[DLQ_HEADERS.retryTiers],
    ).toBeUndefined();
  });
});

describe('RetryTiers', () => {
  const tiers = new RetryTiers(['orders.placed'], 'billing', [{ delayMs: 10_000 }, { delayMs: 300_000 }]);
  const batch = (topic: string) =>
    ({ topic, partition: 0, heartbeat: async () => undefined }) as unknown as ClientBatch;

  it('knows its tier topics and where a failure goes next', () => {
    expect(tiers.topics).toEqual(['orders.placed.billing.retry.10s', 'orders.placed.billing.retry.5m']);
    expect(tiers.isTierTopic('orders.placed')).toBe(false);
    expect(tiers.next('orders.placed', undefined)).toMatchObject({
      tier: 1,
      topic: 'orders.placed.billing.retry.10s',
    });
    const fromLast = tiers.visit(batch('orders.placed.billing.retry.5m'), message());
    expect(tiers.next('orders.placed', fromLast)).toBeUndefined();
  });

  it('shows the handler the origin message: its topic, partition, offset, timestamp and headers', () => {
    const headers = buildTierHeaders({ 'trace-id': 't-1' }, Buffer.from('order-7'), {
      origin: { topic: 'orders.placed', partition: 3, offset: '41', timestamp: '1700000000000' },
      groupId: 'billing',
      attempts: 1,
      tier: 1,
      tiers: '10s',
      dueAt: new Date(5000),
      error: new Error('e'),
    });
    const record = message({ offset: '7', timestamp: '1800000000000', headers });
    const visit = tiers.visit(batch('orders.placed.billing.retry.10s'), record);
    expect(visit.view).toMatchObject({ topic: 'orders.placed', partition: 3 });
    expect(visit.message).toMatchObject({
      offset: '41',
      timestamp: '1700000000000',
      headers: { 'trace-id': 't-1' },
    });
    expect(visit.info).toEqual({
      topic: 'orders.placed.billing.retry.10s',
      partition: 0,
      offset: '7',
      tier: 1,
      delayMs: 10_000,
      dueAt: 5000,
    });
    expect(visit.attempts).toBe(1);
    expect(tiers.visit(batch('orders.placed.billing.retry.10s'), record)).toBe(visit);
    expect(tiers.next('orders.placed', visit)).toMatchObject({
      tier: 2,
      topic: 'orders.placed.billing.retry.5m',
    });
  });

  it('takes a record without the runtime headers as its own origin, due at once', () => {
    const visit = tiers.visit(batch('orders.placed.billing.retry.10s'), message());
    expect(visit).toMatchObject({ attempts: 0, dueAt: 0, origin: { topic: 'orders.placed', offset: '41' } });
  });
});

describe('PartitionControl: waiting for a tier head to be due', () => {
  const tp = { topic: 't.g.retry.1s', partition: 0 };
  const setup = () => {
    const calls: string[] = [];
    const reopened: string[] = [];
    const client = {
      pause: (tps: Array<{ topic: string; partition: number }>) => calls.push(`pause ${tps.length}`),
      resume: (tps: Array<{ topic: string; partition: number }>) => calls.push(`resume ${tps.length}`),
    } as unknown as ConsumerClient;
    const control = new PartitionControl(client, new TypedEmitter(noopLogger), (p, reason) => {
      reopened.push(`${p.topic}[${p.partition}] ${reason}`);
      control.unpause(p, reason);
    });
    return { calls, reopened, control };
  };

  it('pauses the partition once, drops its batches (isPaused), and reopens it at the due time', () => {
    vi.useFakeTimers();
    try {
      const { calls, reopened, control } = setup();
      control.waitUntilDue(tp, Date.now() + 1000);
      control.waitUntilDue(tp, Date.now() + 1000);
      expect(calls).toEqual(['pause 1']);
      expect(control.isPaused(tp.topic, tp.partition)).toBe(true);
      expect(control.isPausedFor(tp, 'due')).toBe(true);
      vi.advanceTimersByTime(1000);
      expect(reopened).toEqual([]);
      vi.advanceTimersByTime(1);
      expect(reopened).toEqual(['t.g.retry.1s[0] due']);
      expect(calls).toEqual(['pause 1', 'resume 1']);
      expect(control.isPaused(tp.topic, tp.partition)).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });

  it('a revoke (clearDue), a new assignment or a stop clears the timer: nothing reopens later', () => {
    vi.useFakeTimers();
    try {
      for (const end of ['revoke', 'assign', 'stop'] as const) {
        const { reopened, control } = setup();
        control.waitUntilDue(tp, Date.now() + 1000);
        if (end === 'revoke') control.clearDue();
        else if (end === 'assign') control.assign([tp]);
        else control.clearTimers();
        vi.advanceTimersByTime(5000);
        expect(reopened).toEqual([]);
        expect(control.isPaused(tp.topic, tp.partition)).toBe(false);
      }
    } finally {
      vi.useRealTimers();
    }
  });
});
