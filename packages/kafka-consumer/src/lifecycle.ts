import { DrainTimeoutError } from './errors.js';
import type { TypedEmitter } from './events.js';
import { DeadlineWait } from './processing/deadline.js';

export type ConsumerState =
  | 'idle'
  | 'connecting'
  | 'running'
  | 'rebalancing'
  | 'stopping'
  | 'stopped'
  | 'crashed';

/** One group generation as handlers see it: its abort signal and the wait bounded by it. */
export class Generation {
  readonly #controller = new AbortController();
  readonly wait: DeadlineWait;

  constructor(readonly id: number) {
    this.wait = new DeadlineWait(this.#controller.signal);
  }

  /** Handed to handlers: aborted when the drain deadline passes, or a revoke outlasts its bound. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  abort(reason: Error): void {
    if (!this.#controller.signal.aborted) this.#controller.abort(reason);
  }
}

/**
 * The consumer's state and signals, in one place. Every part reads it from here; `health()` is
 * derived from it. Transitions: idle -> connecting -> running <-> rebalancing; any -> crashed ->
 * running (after a restart); any -> stopping -> stopped.
 */
export class Lifecycle {
  #state: ConsumerState = 'idle';
  /** Between a successful connect() and the end of disconnect(). */
  connected = false;
  /** The group was joined at least once since run(). */
  joined = false;
  /** The last crash, until the next assignment. */
  crashed: Error | undefined;
  /** Why start-up failed, until the next attempt. */
  startError: Error | undefined;
  readonly #stopping = new AbortController();
  #generation = new Generation(0);

  constructor(private readonly events: TypedEmitter) {}

  get state(): ConsumerState {
    return this.#state;
  }

  /** Aborted once shutdown starts: interrupts backoff sleeps and DLQ write retries. */
  get stoppingSignal(): AbortSignal {
    return this.#stopping.signal;
  }

  get stopping(): boolean {
    return this.#state === 'stopping' || this.#state === 'stopped';
  }

  /** New handlers may start only while running. */
  get accepting(): boolean {
    return this.#state === 'running';
  }

  get generation(): Generation {
    return this.#generation;
  }

  to(state: ConsumerState): void {
    const previous = this.#state;
    if (previous === state || previous === 'stopped') return;
    if (previous === 'stopping' && state !== 'stopped') return;
    this.#state = state;
    if (state === 'stopping') this.#stopping.abort();
    if (state === 'stopped') this.connected = false;
    if (this.events.has('consumer.state')) this.events.emit('consumer.state', { state, previous });
  }

  /** A join finished: handlers of the new generation get a fresh signal. */
  assigned(): Generation {
    this.joined = true;
    this.crashed = undefined;
    this.#generation = new Generation(this.#generation.id + 1);
    this.to('running');
    return this.#generation;
  }

  /** The drain deadline passed: abort the running handlers' signal. */
  drainDeadline(drainTimeoutMs: number): void {
    this.#generation.abort(
      new DrainTimeoutError(`Drain deadline of ${drainTimeoutMs} ms passed during shutdown`),
    );
  }
}
