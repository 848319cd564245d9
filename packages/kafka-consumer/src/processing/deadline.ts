/**
 * Waits for handler promises until the drain deadline. One abort listener serves every wait; a
 * wait registers its rejecter only while it is pending and removes it when the handler settles, so
 * nothing stays attached to the long-lived deadline (racing each handler against one shared
 * "deadline reached" promise kept every message reachable until shutdown).
 */
export class DeadlineWait {
  readonly #waiting = new Set<(reason: unknown) => void>();

  constructor(private readonly deadline: AbortSignal) {
    deadline.addEventListener(
      'abort',
      () => {
        for (const reject of this.#waiting) reject(deadline.reason);
        this.#waiting.clear();
      },
      { once: true },
    );
  }

  /**
   * Resolves or rejects as `result` does, or rejects with the deadline's reason once it aborts. An
   * abandoned handler that rejects later is handled here (no unhandled rejection).
   */
  until(result: Promise<unknown>): Promise<unknown> {
    if (this.deadline.aborted) {
      result.then(undefined, ignoreLate);
      return Promise.reject(this.deadline.reason);
    }
    return new Promise((resolve, reject) => {
      this.#waiting.add(reject);
      result.then(
        (value) => {
          this.#waiting.delete(reject);
          resolve(value);
        },
        (error: unknown) => {
          this.#waiting.delete(reject);
          reject(error);
        },
      );
    });
  }
}

/** A handler abandoned at the deadline may still reject; its message is redelivered anyway. */
function ignoreLate(): undefined {
  return undefined;
}
