/** Counts running work (batches, handler calls) and lets shutdown and revoke wait for none, with a bound. */
export class WorkCounter {
  #running = 0;
  #idle: Array<() => void> = [];

  get running(): number {
    return this.#running;
  }

  begin(): void {
    this.#running++;
  }

  end(): void {
    this.#running--;
    if (this.#running === 0 && this.#idle.length > 0) for (const wake of this.#idle.splice(0)) wake();
  }

  /** Resolves true once nothing runs, false when `ms` passed first. */
  idle(ms: number): Promise<boolean> {
    if (this.#running === 0) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        const index = this.#idle.indexOf(wake);
        if (index >= 0) this.#idle.splice(index, 1);
        resolve(this.#running === 0);
      }, ms);
      timer.unref();
      this.#idle.push(wake);
    });
  }
}
