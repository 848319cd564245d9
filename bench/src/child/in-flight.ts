import type { InFlightSummary } from '../types.js';

/**
 * Handler calls in flight over time (keyed contenders): time-weighted mean and maximum from the
 * first call to the window's end. A mean well under `concurrency` means the handlers waited for
 * messages (fetch, buffer limit), not the other way round.
 */
export class InFlight {
  #now = 0;
  #max = 0;
  #area = 0;
  #since = 0;
  #startedAt = 0;

  begin(): void {
    this.#advance();
    this.#now++;
    if (this.#now > this.#max) this.#max = this.#now;
  }

  end(): void {
    this.#advance();
    this.#now--;
  }

  #advance(): void {
    const t = performance.now();
    if (this.#startedAt === 0) this.#startedAt = t;
    else this.#area += this.#now * (t - this.#since);
    this.#since = t;
  }

  summary(): InFlightSummary {
    this.#advance();
    const span = this.#since - this.#startedAt;
    return { mean: span > 0 ? this.#area / span : 0, max: this.#max };
  }
}
