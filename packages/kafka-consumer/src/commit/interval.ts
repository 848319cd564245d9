import type { CommitStrategy } from './strategy.js';

/** Commits finished offsets every `intervalMs`: a crash redelivers up to `intervalMs` worth of messages. */
export function intervalStrategy(intervalMs: number): CommitStrategy {
  let timer: NodeJS.Timeout | undefined;
  return {
    name: 'interval',
    afterMessage: false,
    afterBatch: false,
    start(commitNow) {
      if (timer !== undefined) return;
      timer = setInterval(commitNow, intervalMs);
      timer.unref();
    },
    stop() {
      clearInterval(timer);
      timer = undefined;
    },
  };
}
