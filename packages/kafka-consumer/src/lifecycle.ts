import { DrainTimeoutError, RebalanceError } from './errors.js';
import type { TypedEmitter } from './events.js';
import { DeadlineWait } from './processing/deadline.js';
import { Sleeps } from './processing/sleeps.js';

export type ConsumerState =
  | 'idle'
  | 'connecting'
  | 'running'
  | 'rebalancing'
  | 'stopping'
  | 'stopped'
  | 'crashed';

/**
 * One group generation: its number (the one counter every piece of work, finish and commit is
 * stamped with), the abort signal handed to its handlers, the wait bounded by that signal, and its
 * backoff sleeps, which end when the generation is revoked or the consumer stops. One abort
 * listener serves all of them, however many messages wait.
 */
export class Generation {
  readonly #controller = new AbortController();
  readonly wait: DeadlineWait;
  readonly sleeps: Sleeps;

  constructor(
    readonly id: number,
    stopping: AbortSignal,
  ) {
    this.wait = new DeadlineWait(this.#controller.signal);
    this.sleeps = new Sleeps([this.#controller.signal, stopping]);
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
  #connected = false;
  #joined = false;
  #crashed: Error | undefined;
  #startError: Error | undefined;
  readonly #stopping = new AbortController();
  #generation = new Generation(0, this.#stopping.signal);

  constructor(private readonly events: TypedEmitter) {}

  get state(): ConsumerState {
    return this.#state;
  }

  /** Between a successful connect() and the end of disconnect(). */
  get connected(): boolean {
    return this.#connected;
  }

  /** The group was joined at least once since run(). */
  get joined(): boolean {
    return this.#joined;
  }

  /** The last crash, until the next assignment. */
  get crashed(): Error | undefined {
    return this.#crashed;
  }

  /** Why start-up failed, until the next attempt. */
  get startError(): Error | undefined {
    return this.#startError;
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
    if (state === 'stopped') this.#connected = false;
    if (this.events.has('consumer.state')) this.events.emit('consumer.state', { state, previous });
  }

  markConnected(): void {
    this.#connected = true;
    this.#startError = undefined;
  }

  startFailed(error: Error | undefined): void {
    this.#startError = error;
  }

  crash(error: Error): void {
    this.#crashed = error;
    this.to('crashed');
  }

  /** A join finished: a new generation, whose handlers get a fresh signal. */
  assigned(): Generation {
    this.#joined = true;
    this.#crashed = undefined;
    this.#generation.abort(
      new RebalanceError(
        `generation ${this.#generation.id} ended: the group was joined again`,
        'rebalancing',
      ),
    );
    this.#generation = new Generation(this.#generation.id + 1, this.#stopping.signal);
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
