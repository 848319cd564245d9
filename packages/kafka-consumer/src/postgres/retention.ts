import type { Logger } from '../logger.js';
import type { InboxPool } from './options.js';
import { classifyPostgresError } from './unavailable.js';

export interface RetentionSpec {
  readonly pool: InboxPool;
  readonly expireSql: string;
  readonly maxAgeMs: number;
  readonly batchSize: number;
  readonly maxBatchesPerPass: number;
}

/**
 * One retention pass: deletes rows handled before now - maxAgeMs, `batchSize` at a time (each its own
 * short transaction, so no long lock and no big WAL burst), until a batch comes back short or the pass
 * reached maxBatchesPerPass. Resolves with the rows deleted.
 */
export async function expireOnce(spec: RetentionSpec, now = Date.now()): Promise<number> {
  const cutoff = new Date(now - spec.maxAgeMs);
  let deleted = 0;
  for (let batch = 0; batch < spec.maxBatchesPerPass; batch++) {
    const client = await spec.pool.connect();
    let count: number;
    try {
      count = (await client.query(spec.expireSql, [cutoff, spec.batchSize])).rowCount ?? 0;
    } finally {
      client.release();
    }
    deleted += count;
    if (count < spec.batchSize) break;
  }
  return deleted;
}

/** Runs `expireOnce` every `intervalMs` (never two at once); the timer never keeps the process alive. */
export class RetentionTimer {
  readonly #timer: NodeJS.Timeout;
  #running: Promise<unknown> | undefined;

  constructor(spec: RetentionSpec, intervalMs: number, logger: Logger | undefined) {
    this.#timer = setInterval(() => {
      if (this.#running !== undefined) return;
      this.#running = expireOnce(spec)
        .then((deleted) => {
          if (deleted > 0) logger?.debug({ deleted }, 'inbox retention deleted old rows');
        })
        .catch((error: unknown) =>
          logger?.warn(
            { err: classifyPostgresError(error) },
            'inbox retention pass failed; next pass retries',
          ),
        )
        .finally(() => {
          this.#running = undefined;
        });
    }, intervalMs);
    this.#timer.unref();
  }

  /** Stops the timer and waits for a pass in flight. */
  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.#running;
  }
}
