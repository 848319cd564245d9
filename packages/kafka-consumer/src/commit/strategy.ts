import type { CommitStrategyName } from '../options.js';

/**
 * When finished offsets get committed. Every strategy also commits on revoke and on shutdown
 * (the runner and the shutdown sequence do that regardless of the strategy).
 */
export interface CommitStrategy {
  /** 'none': a share group's (records are acknowledged one by one; no offsets). */
  readonly name: CommitStrategyName | 'none';
  /** Commit synchronously after each finished message. */
  readonly afterMessage: boolean;
  /** Commit when a fetched batch is done. */
  readonly afterBatch: boolean;
  /** Starts any timer; `commitNow` commits whatever is finished. */
  start(commitNow: () => void): void;
  stop(): void;
}
