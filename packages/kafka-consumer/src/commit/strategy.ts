import type { CommitStrategyName } from '../options.js';

/**
 * When finished offsets get committed. Every strategy also commits on revoke and on shutdown
 * (the runner and the shutdown sequence do that regardless of the strategy).
 */
export interface CommitStrategy {
  readonly name: CommitStrategyName;
  /** Commit synchronously after each finished message. */
  readonly afterMessage: boolean;
  /** Commit when a fetched batch is done. */
  readonly afterBatch: boolean;
  /** Starts any timer; `commitNow` commits whatever is finished. */
  start(commitNow: () => void): void;
  stop(): void;
}
