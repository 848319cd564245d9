/**
 * Backoff sleeps that end early when any of `signals` aborts. One listener per signal serves
 * every sleep (many messages in backoff add no listener each: no MaxListenersExceededWarning and
 * nothing kept reachable by a long-lived signal).
 */
export class Sleeps {
  readonly #waiting = new Set<() => void>();
  #aborted = false;
  readonly #signals: readonly AbortSignal[];
  readonly #wakeAll = () => {
    this.#aborted = true;
    for (const wake of this.#waiting) wake();
    this.#waiting.clear();
  };

  constructor(signals: readonly AbortSignal[]) {
    this.#signals = signals;
    for (const signal of signals) {
      if (signal.aborted) this.#aborted = true;
      else signal.addEventListener('abort', this.#wakeAll, { once: true });
    }
  }

  /** Removes the listeners (a short-lived set of sleeps on a long-lived signal). */
  dispose(): void {
    for (const signal of this.#signals) signal.removeEventListener('abort', this.#wakeAll);
  }

  get aborted(): boolean {
    return this.#aborted;
  }

  /** Resolves true after `ms`, false as soon as a signal aborts. */
  sleep(ms: number): Promise<boolean> {
    if (this.#aborted) return Promise.resolve(false);
    if (ms <= 0) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        resolve(false);
      };
      const timer = setTimeout(() => {
        this.#waiting.delete(wake);
        resolve(true);
      }, ms);
      this.#waiting.add(wake);
    });
  }
}
