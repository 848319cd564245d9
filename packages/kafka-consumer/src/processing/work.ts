import type { CommitPipeline } from '../commit/pipeline.js';
import type { CommitStrategy } from '../commit/strategy.js';
import type { Lifecycle } from '../lifecycle.js';
import type { MessageProcessor } from './message.js';
import type { OffsetTracker } from './offsets.js';
import type { PartitionControl } from './partitions.js';

/** What both ways of running messages (partition runner, key/unordered dispatcher) are built from. */
export interface WorkParts {
  tracker: OffsetTracker;
  pipeline: CommitPipeline;
  strategy: CommitStrategy;
  control: PartitionControl;
  processor: MessageProcessor<unknown>;
  lifecycle: Lifecycle;
  /** per-message: finished-but-uncommitted messages of a partition before the next handler waits. */
  maxUncommitted: number;
}

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
