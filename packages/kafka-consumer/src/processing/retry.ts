import { isNonRetryable } from '../errors.js';

export interface BackoffPolicy {
  maxRetries: number;
  initialDelayMs: number;
  maxDelayMs: number;
  multiplier: number;
  jitter?: 'full' | 'none';
}

/**
 * Whether a failed attempt gets another try. `attempt` is 1-based (1 = the first call), so a
 * message is called at most `maxRetries + 1` times. Non-retryable errors never retry.
 */
export function shouldRetry(error: unknown, attempt: number, maxRetries: number): boolean {
  if (isNonRetryable(error)) return false;
  return attempt <= maxRetries;
}

/** Exponential cap for the delay after `attempt` failed: min(maxDelay, initial * multiplier^(attempt-1)). */
export function backoffCeiling(attempt: number, policy: BackoffPolicy): number {
  const exponent = Math.max(0, attempt - 1);
  return Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.multiplier ** exponent);
}

/**
 * "Full jitter" backoff: a uniformly random delay in [0, ceiling] (exactly the ceiling with
 * `jitter: 'none'`). `random` is injectable for tests.
 */
export function backoffDelay(
  attempt: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): number {
  const ceiling = backoffCeiling(attempt, policy);
  return policy.jitter === 'none' ? ceiling : Math.round(random() * ceiling);
}

/**
 * Sleeps `ms`, calling `tick` every `tickMs` (heartbeats while waiting). Resolves true when the full
 * time passed, false as soon as `signal` aborts. A rejecting `tick` rejects the sleep (e.g. rebalance).
 */
export function sleepWithTicks(
  ms: number,
  tickMs: number,
  tick: () => Promise<void>,
  signal: AbortSignal,
): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  if (ms <= 0) return Promise.resolve(true);
  return new Promise<boolean>((resolve, reject) => {
    const deadline = Date.now() + ms;
    let timer: NodeJS.Timeout | undefined;
    const done = (value: boolean | Error) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      if (value instanceof Error) reject(value);
      else resolve(value);
    };
    const onAbort = () => done(false);
    const step = () => {
      const left = deadline - Date.now();
      if (left <= 0) return done(true);
      timer = setTimeout(
        () => {
          if (signal.aborted) return;
          if (deadline - Date.now() <= 0) return done(true);
          tick().then(step, (error: unknown) =>
            done(error instanceof Error ? error : new Error(String(error))),
          );
        },
        Math.min(left, tickMs),
      );
    };
    signal.addEventListener('abort', onAbort, { once: true });
    step();
  });
}
