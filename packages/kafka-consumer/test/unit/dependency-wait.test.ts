import { describe, expect, it, vi } from 'vitest';
import {
  ConfigError,
  createConsumer,
  DependencyUnavailableError,
  type EventName,
  type KafkaConsumer,
} from '../../src/index.js';
import { dependencyDelay } from '../../src/processing/dependency-wait.js';
import { fakeClient, options } from './support/fake-client.js';

const down = () => new DependencyUnavailableError('database down', { dependency: 'postgres' });
const fast = {
  maxRetries: 1,
  initialDelayMs: 0,
  maxDelayMs: 0,
  unavailable: { initialDelayMs: 1, maxDelayMs: 2 },
};

function count(c: KafkaConsumer, ...names: EventName[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const name of names) {
    counts[name] = 0;
    c.on(name, () => {
      counts[name] = (counts[name] ?? 0) + 1;
    });
  }
  return counts;
}

describe('a dependency is unavailable (policy)', () => {
  it('backs off exponentially and stays capped for any number of waits (no budget)', () => {
    const policy = { initialDelayMs: 100, maxDelayMs: 5000, multiplier: 2, jitter: 'none' as const };
    expect([1, 2, 3, 4].map((w) => dependencyDelay(w, policy))).toEqual([100, 200, 400, 800]);
    expect(dependencyDelay(7, policy)).toBe(5000);
    expect(dependencyDelay(100_000, policy)).toBe(5000);
    const jittered = dependencyDelay(50, { ...policy, jitter: 'full' }, () => 0.5);
    expect(jittered).toBe(2500);
  });

  it('retries past maxRetries without spending it, never fails or dead-letters, and the attempt number stays', async () => {
    const fake = fakeClient();
    const attempts: number[] = [];
    const c = createConsumer(
      options(
        ({ attempt }) => {
          attempts.push(attempt);
          if (attempts.length <= 10) throw down();
        },
        { retry: fast },
      ),
      { clientFactory: fake.factory },
    );
    const counts = count(
      c,
      'message.waiting-for-dependency',
      'message.retrying',
      'message.failed',
      'message.dead-lettered',
      'message.processed',
      'dependency.recovered',
    );
    await c.run();
    await fake.hooks().onBatch(fake.batch([0]));
    await vi.waitFor(() => expect(counts['message.processed']).toBe(1));
    expect(attempts).toHaveLength(11);
    expect(new Set(attempts)).toEqual(new Set([1]));
    expect(counts).toEqual({
      'message.waiting-for-dependency': 10,
      'message.retrying': 0,
      'message.failed': 0,
      'message.dead-lettered': 0,
      'message.processed': 1,
      'dependency.recovered': 1,
    });
    expect(c.health().waitingForDependency).toEqual({
      messages: 0,
      since: null,
      dependencies: [],
      lastError: null,
    });
    await c.disconnect();
  });

  it('an ordinary failure after a wait keeps the retry budget and the dead-letter path', async () => {
    const fake = fakeClient();
    let calls = 0;
    const c = createConsumer(
      options(
        () => {
          calls++;
          if (calls <= 2) throw down();
          throw new Error('bad data');
        },
        { retry: fast },
      ),
      { clientFactory: fake.factory },
    );
    const counts = count(c, 'message.waiting-for-dependency', 'message.retrying', 'message.dead-lettered');
    await c.run();
    await fake.hooks().onBatch(fake.batch([0]));
    await vi.waitFor(() => expect(counts['message.dead-lettered']).toBe(1));
    expect(calls).toBe(4); // 2 waits, then the first attempt's failure and its one retry
    expect(counts).toEqual({
      'message.waiting-for-dependency': 2,
      'message.retrying': 1,
      'message.dead-lettered': 1,
    });
    await c.disconnect();
  });

  it('health() shows the wait while it lasts; disconnect() cuts it: drained, nothing dead-lettered or committed', async () => {
    const fake = fakeClient();
    const c = createConsumer(
      options(
        () => {
          throw down();
        },
        { retry: { ...fast, unavailable: { initialDelayMs: 60_000, maxDelayMs: 60_000 } } },
      ),
      { clientFactory: fake.factory },
    );
    const counts = count(c, 'message.failed', 'message.dead-lettered');
    const waiting = new Promise<void>((resolve) => c.once('message.waiting-for-dependency', () => resolve()));
    await c.run();
    const batch = fake.hooks().onBatch(fake.batch([0]));
    await waiting;
    const health = c.health();
    expect(health.waitingForDependency).toMatchObject({
      messages: 1,
      dependencies: ['postgres'],
      lastError: 'database down',
    });
    expect(health.status).toBe('healthy');
    const started = Date.now();
    const report = await c.disconnect();
    await batch;
    expect(Date.now() - started).toBeLessThan(5000);
    expect(report.drained).toBe(true);
    expect(counts).toEqual({ 'message.failed': 0, 'message.dead-lettered': 0 });
    expect(fake.commits.flatMap((commit) => commit.offsets)).toEqual([]);
    expect(c.health().waitingForDependency.messages).toBe(0);
  });

  it('rejects retry.unavailable.maxDelayMs below its initialDelayMs, naming the field', () => {
    expect(() =>
      createConsumer(
        options(() => undefined, { retry: { unavailable: { initialDelayMs: 500, maxDelayMs: 100 } } }),
      ),
    ).toThrow(ConfigError);
    expect(() =>
      createConsumer(
        options(() => undefined, { retry: { unavailable: { initialDelayMs: 500, maxDelayMs: 100 } } }),
      ),
    ).toThrow(/retry\.unavailable\.maxDelayMs: must be >= retry\.unavailable\.initialDelayMs \(500\)/);
  });
});
