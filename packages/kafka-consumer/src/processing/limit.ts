/**
 * The consumer-wide limit of handler calls in flight (key / unordered dispatch). A call in retry
 * backoff gives its slot back while it sleeps and takes one again before its next attempt (ahead of
 * messages that have not started), so a waiting message holds only its key, not a slot.
 */
export class ConcurrencyLimit {
  #taken = 0;
  readonly #waiting: Array<() => void> = [];
  readonly #freed: Array<() => void> = [];

  constructor(readonly limit: number) {}

  get taken(): number {
    return this.#taken;
  }

  /** Takes a slot if one is free (new messages). */
  tryTake(): boolean {
    if (this.#taken >= this.limit || this.#waiting.length > 0) return false;
    this.#taken++;
    return true;
  }

  /** Takes a slot, waiting for one (a retry after its backoff). */
  take(): Promise<void> {
    if (this.#taken < this.limit) {
      this.#taken++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  release(): void {
    const next = this.#waiting.shift();
    if (next !== undefined) {
      next();
      return;
    }
    this.#taken--;
    for (const freed of this.#freed) freed();
  }

  /** Runs `listener` whenever a slot becomes free for new messages. */
  onFreed(listener: () => void): void {
    this.#freed.push(listener);
  }
}
