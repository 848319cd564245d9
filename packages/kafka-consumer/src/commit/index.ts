import type { ResolvedOptions } from '../options.js';
import { intervalStrategy } from './interval.js';
import { perBatchStrategy } from './per-batch.js';
import { perMessageStrategy } from './per-message.js';
import type { CommitStrategy } from './strategy.js';

export function createCommitStrategy(commit: ResolvedOptions['commit']): CommitStrategy {
  switch (commit.strategy) {
    case 'per-message':
      return perMessageStrategy();
    case 'per-batch':
      return perBatchStrategy();
    case 'interval':
      return intervalStrategy(commit.intervalMs);
  }
}
