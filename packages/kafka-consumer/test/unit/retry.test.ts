import { describe, expect, it, vi } from 'vitest';
import { NonRetryableError } from '../../src/index.js';
import { backoffCeiling, backoffDelay, shouldRetry, sleepWithTicks } from '../../src/processing/retry.js';

const policy = { maxRetries: 3, initialDelayMs: 100, maxDelayMs: 1000, multiplier: 2 };

describe('backoff', () => {
  it('grows exponentially from initialDelayMs and is capped by maxDelayMs', () => {
    expect([1, 2, 3, 4, 5, 10].map((a) => backoffCeiling(a, policy))).toEqual([
      100, 200, 400, 800, 1000, 1000,
    ]);
  });

  it('applies full jitter: uniformly between 0 and the ceiling', () => {
    expect(backoffDelay(3, policy, () => 0)).toBe(0);
    expect(backoffDelay(3, policy, () => 0.5)).toBe(200);
    expect(backoffDelay(3, policy, () => 0.999_999)).toBe(400);
    for (let i = 0; i < 200; i++) {
      const d = backoffDelay(4, policy);
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThanOrEqual(800);
    }
  });

  it("jitter 'none' returns the ceiling", () => {
    expect(backoffDelay(2, { ...policy, jitter: 'none' }, () => 0)).toBe(200);
  });
});

describe('shouldRetry', () => {
  it('allows maxRetries retries after the first attempt', () => {
    const error = new Error('x');
    expect([1, 2, 3, 4].map((attempt) => shouldRetry(error, attempt, 3))).toEqual([true, true, true, false]);
    expect(shouldRetry(error, 1, 0)).toBe(false);
  });

  it('never retries a NonRetryableError', () => {
    expect(shouldRetry(new NonRetryableError('bad'), 1, 10)).toBe(false);
  });
});

describe('sleepWithTicks', () => {
  it('ticks while waiting and resolves true after the full time', async () => {
    // Fake clock: a loaded machine firing timers late must not change what this test observes.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      let ticks = 0;
      const started = Date.now();
      const pending = sleepWithTicks(120, 25, async () => void ticks++, new AbortController().signal);
      await vi.advanceTimersByTimeAsync(120);
      expect(await pending).toBe(true);
      expect(Date.now() - started).toBe(120);
      expect(ticks).toBe(4);
    } finally {
      vi.useRealTimers();
    }
  });

  it('resolves false as soon as the signal aborts', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const started = Date.now();
    expect(await sleepWithTicks(10_000, 1000, async () => undefined, controller.signal)).toBe(false);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('rejects when a tick rejects (rebalance during backoff)', async () => {
    const error = new Error('rebalancing');
    await expect(
      sleepWithTicks(1000, 10, () => Promise.reject(error), new AbortController().signal),
    ).rejects.toBe(error);
  });
});
