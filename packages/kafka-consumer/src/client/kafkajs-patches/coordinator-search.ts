/**
 * What a consumer group does when its coordinator is lost (the broker died, or answered "not the
 * coordinator" after a leadership move), as the Java client does it: mark the coordinator unknown,
 * look for its successor with FindCoordinator, and go on there with the same member and generation.
 * No re-join: the successor loaded the group from `__consumer_offsets`, generation and members
 * included, and starts every member's session afresh.
 *
 * One search per lost coordinator at a time; every caller that meets the same dead broker joins it.
 * Pure logic: `locate` (one FindCoordinator + connect) and the clock are injected.
 */

export interface SearchOptions<B> {
  /**
   * One attempt: asks a live broker for the group's coordinator, connects to it and has it answer
   * for the group (so it is alive, is the coordinator and has loaded the group); throws otherwise.
   */
  locate: (from: B) => Promise<B>;
  /** Between attempts while the cluster has not elected a successor yet. */
  intervalMs: number;
  /** After this long without a successor the search fails with the last attempt's error. */
  deadlineMs: number;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  /** False once the consumer stopped: the search ends at its next attempt (no timer outlives it). */
  active?: () => boolean;
  onLost?: (from: B, error: unknown) => void;
  onFound?: (from: B, to: B, tookMs: number, attempts: number) => void;
  onFailed?: (from: B, error: unknown, tookMs: number) => void;
}

type State<B> =
  | { kind: 'searching'; from: B; done: Promise<B> }
  | { kind: 'found'; from: B; to: B }
  | { kind: 'failed'; from: B; error: unknown };

export class CoordinatorSearch<B> {
  #state: State<B> | undefined;

  constructor(private readonly options: SearchOptions<B>) {}

  /**
   * `from` failed as the coordinator: start looking for its successor, unless a search for it is
   * under way (every caller meeting the same dead broker joins that one). The successor may be
   * `from` itself, once it answers for the group again.
   */
  lost(from: B, error: unknown): void {
    if (this.searching(from)) return;
    this.options.onLost?.(from, error);
    const done = this.#search(from, error);
    // The outcome is read through current()/settle(); nothing may be left unhandled meanwhile.
    done.catch(() => undefined);
    this.#state = { kind: 'searching', from, done };
  }

  /** True while a successor of `cached` is being looked for. */
  searching(cached: B): boolean {
    return this.#state?.kind === 'searching' && this.#state.from === cached;
  }

  /**
   * The coordinator to use instead of `cached`, without waiting: its successor once found, else
   * `cached`. Throws (once) the error of a search for `cached` that gave up.
   */
  current(cached: B): B {
    const state = this.#state;
    if (state === undefined || state.from !== cached) return cached;
    if (state.kind === 'found') return state.to;
    if (state.kind === 'failed') {
      this.#state = undefined;
      throw state.error;
    }
    return cached;
  }

  /** As current(), but waits for a running search for `cached` to end. */
  async settle(cached: B): Promise<B> {
    const state = this.#state;
    if (state?.kind === 'searching' && state.from === cached) await state.done.catch(() => undefined);
    return this.current(cached);
  }

  async #search(from: B, first: unknown): Promise<B> {
    const { locate, intervalMs, deadlineMs, sleep, now } = this.options;
    const began = now();
    let last = first;
    for (let attempt = 1; ; attempt++) {
      try {
        const to = await locate(from);
        this.#state = { kind: 'found', from, to };
        this.options.onFound?.(from, to, now() - began, attempt);
        return to;
      } catch (error) {
        last = error;
      }
      if (now() - began + intervalMs > deadlineMs || this.options.active?.() === false) {
        const error = gaveUp(now() - began, last);
        this.#state = { kind: 'failed', from, error };
        this.options.onFailed?.(from, last, now() - began);
        throw error;
      }
      await sleep(intervalMs);
    }
  }
}

/**
 * The error a search that gave up hands on: retriable, named as KafkaJS names a coordinator it could
 * not find, with the last attempt's error as `cause` (not a "coordinator lost" error itself, so it
 * does not start another search at once).
 */
function gaveUp(tookMs: number, last: unknown): Error {
  const reason = last instanceof Error ? last.message : String(last);
  const error = new Error(`No successor of the lost group coordinator found in ${tookMs} ms: ${reason}`, {
    cause: last,
  });
  error.name = 'KafkaJSGroupCoordinatorNotFound';
  return Object.assign(error, { retriable: true });
}
