import type { ClientBatch } from '../client/port.js';
import { DependencyUnavailableError } from '../errors.js';
import type { TypedEmitter } from '../events.js';
import type { Generation } from '../lifecycle.js';
import type { Logger } from '../logger.js';
import type { DependencyWaitReport } from '../types.js';
import type { ConcurrencyLimit } from './limit.js';
import { backoffDelay, sleepWithTicks } from './retry.js';

type Outcome = 'done' | 'halt';

interface Wait {
  readonly since: number;
  readonly dependency: string;
  waits: number;
  error: Error;
}

export interface DependencyPolicy {
  initialDelayMs: number;
  maxDelayMs: number;
  multiplier: number;
  jitter?: 'full' | 'none';
}

export interface WaitDependencies {
  readonly policy: DependencyPolicy;
  readonly heartbeatIntervalMs: number;
  readonly events: TypedEmitter;
  readonly logger: Logger;
  /** The slot a waiting call gives back while it sleeps. */
  readonly limit: ConcurrencyLimit;
}

/** True when a handler failure means "a dependency is unavailable", not "this message is bad". */
export function isDependencyUnavailable(error: unknown): error is DependencyUnavailableError {
  return error instanceof DependencyUnavailableError;
}

/**
 * The delay before the `waits`-th retry of a message whose dependency is unavailable: exponential from
 * initialDelayMs, capped at maxDelayMs, for as many waits as it takes (no budget).
 */
export function dependencyDelay(waits: number, policy: DependencyPolicy, random?: () => number): number {
  return backoffDelay(waits, { ...policy, maxRetries: Number.POSITIVE_INFINITY }, random);
}

/**
 * Messages waiting for an unavailable dependency, in one place: one entry per message from its first
 * DependencyUnavailableError until its outcome (processed, failed otherwise, or halted by a stop).
 * The wait holds only the message itself (its partition or key, per ordering); its concurrency slot
 * is given back while it sleeps, heartbeats go on, and the stop signal cuts the wait (the message
 * stays uncommitted and is redelivered).
 */
export class DependencyWaits {
  readonly #waiting = new Map<string, Wait>();
  readonly #deps: WaitDependencies;

  constructor(deps: WaitDependencies) {
    this.#deps = deps;
  }

  report(now = Date.now()): DependencyWaitReport {
    let since: number | null = null;
    let last: Wait | undefined;
    const dependencies = new Set<string>();
    for (const wait of this.#waiting.values()) {
      dependencies.add(wait.dependency);
      if (since === null || wait.since < since) since = wait.since;
      last = wait;
    }
    return {
      messages: this.#waiting.size,
      since: since === null ? null : Math.min(since, now),
      dependencies: [...dependencies],
      lastError: last?.error.message ?? null,
    };
  }

  /** Sleeps the backoff, then runs `again` (the same attempt once more); the first call owns the entry. */
  async retry(
    batch: ClientBatch,
    offset: string,
    error: DependencyUnavailableError,
    gen: Generation,
    again: () => Outcome | Promise<Outcome>,
  ): Promise<Outcome> {
    const { topic, partition } = batch;
    const key = `${topic}\u0000${partition}\u0000${offset}`;
    const existing = this.#waiting.get(key);
    const wait = existing ?? { since: Date.now(), dependency: error.dependency, waits: 0, error };
    if (existing === undefined) this.#waiting.set(key, wait);
    wait.waits++;
    wait.error = error;
    let outcome: Outcome | undefined;
    try {
      outcome = await this.#sleepThen(batch, offset, wait, gen, again);
      return outcome;
    } finally {
      if (existing === undefined) {
        this.#waiting.delete(key);
        if (outcome === 'done') this.#recovered(topic, partition, offset, wait);
      }
    }
  }

  async #sleepThen(
    batch: ClientBatch,
    offset: string,
    wait: Wait,
    gen: Generation,
    again: () => Outcome | Promise<Outcome>,
  ): Promise<Outcome> {
    const deps = this.#deps;
    const { topic, partition } = batch;
    const delayMs = dependencyDelay(wait.waits, deps.policy);
    const { dependency, waits, error } = wait;
    if (deps.events.has('message.waiting-for-dependency'))
      deps.events.emit('message.waiting-for-dependency', {
        topic,
        partition,
        offset,
        dependency,
        waits,
        delayMs,
        error,
      });
    const fields = { err: error, topic, partition, offset, dependency, waits, delayMs };
    if (waits === 1) deps.logger.warn(fields, 'dependency unavailable; waiting for it (not dead-lettered)');
    else deps.logger.debug(fields, 'dependency still unavailable; waiting');
    // The wait ends when its generation is revoked or the consumer stops (one listener per generation).
    if (gen.sleeps.aborted) return 'halt';
    deps.limit.release();
    let waited: boolean;
    try {
      waited = await sleepWithTicks(delayMs, deps.heartbeatIntervalMs, batch.heartbeat, gen.sleeps);
    } finally {
      await deps.limit.take();
    }
    if (!waited || gen.signal.aborted) return 'halt';
    return again();
  }

  #recovered(topic: string, partition: number, offset: string, wait: Wait): void {
    const waitedMs = Date.now() - wait.since;
    this.#deps.logger.info(
      { topic, partition, offset, dependency: wait.dependency, waits: wait.waits, waitedMs },
      'dependency available again',
    );
    if (this.#deps.events.has('dependency.recovered'))
      this.#deps.events.emit('dependency.recovered', {
        topic,
        partition,
        offset,
        dependency: wait.dependency,
        waits: wait.waits,
        waitedMs,
      });
  }
}
