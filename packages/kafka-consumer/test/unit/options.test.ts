import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  type ConsumerOptions,
  createConsumer,
  noopLogger,
  resolveOptions,
} from '../../src/index.js';

const handler = async () => undefined;
const base: ConsumerOptions = {
  brokers: ['localhost:9092'],
  groupId: 'g',
  topics: ['orders.placed'],
  handler,
};

function issuesOf(options: unknown): string[] {
  try {
    resolveOptions(options as ConsumerOptions);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).code).toBe('CONFIG_INVALID');
    return [...(error as ConfigError).issues];
  }
  throw new Error('expected a ConfigError');
}

describe('option validation', () => {
  it('applies the documented defaults', () => {
    const o = resolveOptions({ ...base, logger: noopLogger });
    expect(o).toMatchObject({
      clientId: 'g',
      groupId: 'g',
      fromBeginning: false,
      commit: { strategy: 'per-batch', intervalMs: 5000, maxUncommitted: 500 },
      ordering: 'partition',
      maxBufferedPerPartition: 2000,
      retry: { maxRetries: 3, initialDelayMs: 100, maxDelayMs: 30_000, multiplier: 2, jitter: 'full' },
      deadLetter: { writeAttempts: 3, recoveryDelayMs: 5000, createTopics: true, partitions: 1 },
      shutdown: { drainTimeoutMs: 30_000, signals: ['SIGTERM', 'SIGINT'], exitProcess: true },
      concurrency: 1,
      sessionTimeoutMs: 30_000,
      heartbeatIntervalMs: 3000,
      maxWaitTimeMs: 500,
    });
    expect(o.codec.name).toBe('raw');
  });

  it('defaults groupId to clientId and back', () => {
    const { groupId: _g, ...rest } = base;
    expect(resolveOptions({ ...rest, clientId: 'svc' }).groupId).toBe('svc');
    expect(resolveOptions(base).clientId).toBe('g');
    expect(issuesOf(rest)).toEqual(['groupId: set groupId (or clientId, which it defaults to)']);
  });

  it('normalises commit strategies', () => {
    expect(resolveOptions({ ...base, commit: 'per-message' }).commit).toEqual({
      strategy: 'per-message',
      intervalMs: 5000,
      maxUncommitted: 500,
    });
    expect(resolveOptions({ ...base, commit: { strategy: 'interval', intervalMs: 250 } }).commit).toEqual({
      strategy: 'interval',
      intervalMs: 250,
      maxUncommitted: 500,
    });
  });

  it('signals: [] disables signal handling and process exit', () => {
    expect(resolveOptions({ ...base, shutdown: { signals: [] } }).shutdown).toEqual({
      drainTimeoutMs: 30_000,
      signals: [],
      exitProcess: false,
    });
  });

  it.each([
    [{ topics: [] }, 'topics: must list at least one topic'],
    [{ topics: ['bad topic!'] }, 'topics.0: is not a valid Kafka topic name'],
    [{ topics: ['..'] }, 'topics.0: is not a valid Kafka topic name'],
    [{ brokers: ['localhost'] }, 'brokers.0: must be "host:port"'],
    [{ brokers: ['localhost:99999'] }, 'brokers.0: must be "host:port"'],
    [{ brokers: [] }, 'brokers: must list at least one broker'],
    [{ retry: { maxRetries: -1 } }, 'retry.maxRetries: must be >= 0 (use 0 to disable retries)'],
    [{ retry: { maxRetries: 1.5 } }, 'retry.maxRetries: must be an integer'],
    [{ commit: 'sometimes' }, 'commit: must be "per-message", "per-batch", "interval"'],
    [{ deadLetter: { topic: 'orders.placed' } }, 'deadLetter.topic: "orders.placed" is also a source topic'],
    [
      { retry: { initialDelayMs: 500, maxDelayMs: 100 } },
      'retry.maxDelayMs: must be >= retry.initialDelayMs',
    ],
    [
      { heartbeatIntervalMs: 10_000, sessionTimeoutMs: 6000 },
      'heartbeatIntervalMs: must be below sessionTimeoutMs',
    ],
    [{ handler: 'nope' }, 'handler: must be an async function'],
    [{ topic: 'x' }, 'topic: unknown option'],
    [{ topics: ['a'.repeat(249)] }, 'is too long to derive its dead-letter topic'],
  ])('rejects %j naming the field and the fix', (patch, expected) => {
    const issues = issuesOf({ ...base, ...patch });
    expect(issues.join('\n')).toContain(expected);
  });

  it('reports every problem at once', () => {
    expect(issuesOf({ ...base, brokers: ['nope'], topics: [] })).toHaveLength(2);
  });

  it('createConsumer validates synchronously and can be awaited', async () => {
    expect(() => createConsumer({ ...base, topics: [] })).toThrow(ConfigError);
    const consumer = await createConsumer({ ...base, logger: noopLogger, shutdown: { signals: [] } });
    expect(consumer.health().status).toBe('starting');
    expect(consumer.options.groupId).toBe('g');
  });
});

describe('naming rules shared with the generator', () => {
  it('refuses an IPv6 broker literal KafkaJS cannot use, and accepts _ in host names', () => {
    expect(issuesOf({ ...base, brokers: ['[::1]:9092'] })[0]).toMatch(
      /brokers\.0: .*IPv6 addresses are not supported by KafkaJS/,
    );
    expect(resolveOptions({ ...base, brokers: ['kafka_1.internal:9092'] }).brokers).toEqual([
      'kafka_1.internal:9092',
    ]);
  });
});
