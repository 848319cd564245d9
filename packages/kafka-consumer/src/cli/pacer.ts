import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Holds a rate: a group of writes whose first is the n-th (from 0) starts no earlier than
 * start + n / rate seconds, so N writes in groups of g take (N - g) / rate seconds plus the last
 * acknowledgement. Without a rate it never waits.
 */
export class Pacer {
  #sent = 0;
  #start: number | undefined;

  constructor(private readonly rate: number | undefined) {}

  /** Resolves when the next `count` writes may start. */
  async next(count: number, signal?: AbortSignal): Promise<void> {
    if (this.rate === undefined) return;
    const now = performance.now();
    this.#start ??= now;
    const due = this.#start + (this.#sent * 1000) / this.rate;
    this.#sent += count;
    if (due > now) await sleep(due - now, undefined, { signal }).catch(() => undefined);
  }
}
