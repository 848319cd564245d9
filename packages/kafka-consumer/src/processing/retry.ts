import { isNonRetryable } from '../errors.js';
import { Sleeps } from './sleeps.js';

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
 * Sleeps `ms` through `sleeps`, calling `tick` every `tickMs` (heartbeats while waiting). Resolves
 * true when the full time passed, false as soon as the sleeps are interrupted (revoke, shutdown).
 * A rejecting `tick` rejects the sleep (e.g. rebalance).
 */
export async function sleepWithTicks(
  ms: number,
  tickMs: number,
  tick: () => Promise<void>,
  interrupt: Sleeps | AbortSignal,
): Promise<boolean> {
  if (interrupt instanceof Sleeps) return sleepTicking(ms, tickMs, tick, interrupt);
  const sleeps = new Sleeps([interrupt]);
  try {
    return await sleepTicking(ms, tickMs, tick, sleeps);
  } finally {
    sleeps.dispose();
  }
}

async function sleepTicking(
  ms: number,
  tickMs: number,
  tick: () => Promise<void>,
  sleeps: Sleeps,
): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    const left = deadline - Date.now();
    if (sleeps.aborted) return false;
    if (left <= 0) return true;
    if (!(await sleeps.sleep(Math.min(left, tickMs)))) return false;
    if (deadline - Date.now() <= 0) return true;
    await tick();
  }
}
