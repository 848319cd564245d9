/**
 * Notices a group re-join that never finishes: armed when a rebalance begins, disarmed by the next
 * assignment. If no assignment arrives within `timeoutMs`, `onStuck` runs once (the caller reports
 * it and restarts the client; arming again starts a new wait).
 */
export class RejoinWatchdog {
  #timer: NodeJS.Timeout | undefined;
  #since: number | undefined;
  #stopped = false;

  constructor(
    private readonly timeoutMs: number,
    private readonly onStuck: (waitedMs: number) => void,
  ) {}

  /** A rebalance began (or a restart is waiting for its join). No-op when already armed or stopped. */
  rebalanceStarted(): void {
    if (this.#stopped || this.#timer !== undefined) return;
    const since = Date.now();
    this.#since = since;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#since = undefined;
      if (!this.#stopped) this.onStuck(Date.now() - since);
    }, this.timeoutMs);
    this.#timer.unref();
  }

  /** An assignment arrived: the re-join finished. */
  assigned(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#since = undefined;
  }

  /** Epoch ms since which a re-join is awaited, or undefined. */
  get waitingSince(): number | undefined {
    return this.#since;
  }

  /** Shutdown: never fires again. */
  stop(): void {
    this.#stopped = true;
    this.assigned();
  }
}
