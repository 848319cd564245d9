import type { CommitStrategy } from './strategy.js';

/** Commits after every message: redelivery window on a crash is the one message in flight per partition. */
export function perMessageStrategy(): CommitStrategy {
  return {
    name: 'per-message',
    afterMessage: true,
    afterBatch: true,
    start: () => undefined,
    stop: () => undefined,
  };
}
