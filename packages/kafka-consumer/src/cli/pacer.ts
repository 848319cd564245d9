import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Holds a rate: the n-th write (from 0) starts no earlier than start + n / rate seconds, so N
 * writes take (N - 1) / rate seconds plus the last acknowledgement, whatever the per-write latency
 * below 1 / rate. Without a rate it never waits.
 */
export class Pacer {
  #sent = 0;
  #start: number | undefined;

  constructor(private readonly rate: number | undefined) {}

  /** Resolves when the next write may start (at most 1 / rate after the previous one was due). */
  async next(signal?: AbortSignal): Promise<void> {
    if (this.rate === undefined) return;
    const now = performance.now();
    this.#start ??= now;
    const due = this.#start + (this.#sent * 1000) / this.rate;
    this.#sent++;
    if (due > now) await sleep(due - now, undefined, { signal }).catch(() => undefined);
  }
}
