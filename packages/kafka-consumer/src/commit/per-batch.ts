import type { CommitStrategy } from './strategy.js';

/** Commits when a fetched batch is done: a crash redelivers at most the unfinished rest of the batch in flight. */
export function perBatchStrategy(): CommitStrategy {
  return {
    name: 'per-batch',
    afterMessage: false,
    afterBatch: true,
    start: () => undefined,
    stop: () => undefined,
  };
}
