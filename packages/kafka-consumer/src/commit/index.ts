import type { ResolvedOptions } from '../options.js';
import { intervalStrategy } from './interval.js';
import { perBatchStrategy } from './per-batch.js';
import { perMessageStrategy } from './per-message.js';
import type { CommitStrategy } from './strategy.js';

/** A share group commits nothing: no commit after a message, a batch or on a timer. */
const noCommits: CommitStrategy = {
  name: 'none',
  afterMessage: false,
  afterBatch: false,
  start: () => undefined,
  stop: () => undefined,
};

export function createCommitStrategy(
  commit: ResolvedOptions['commit'],
  groupType: ResolvedOptions['groupType'] = 'consumer',
): CommitStrategy {
  if (groupType === 'share') return noCommits;
  switch (commit.strategy) {
    case 'per-message':
      return perMessageStrategy();
    case 'per-batch':
      return perBatchStrategy();
    case 'interval':
      return intervalStrategy(commit.intervalMs);
  }
}
