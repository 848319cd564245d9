import { setTimeout as sleep } from 'node:timers/promises';
import { type ConsumerOptions, createConsumer, noopLogger } from '@kafkakit/kafka-consumer';
import { uniqueName } from '@kafkakit/kafka-testkit';

/** The handler's work: an awaited 1 ms timer (an I/O call elsewhere). */
export const HANDLER_MS = 1;
/** Message `i` with `i % 100 === FAILING_REMAINDER` fails its first two attempts (1 %), then succeeds. */
export const FAILING_REMAINDER = 50;
export const failing = (index: number): boolean => index % 100 === FAILING_REMAINDER;

export type ContenderId = 'no-failures' | 'tiers' | 'in-place';

export interface Contender {
  id: ContenderId;
  title: string;
  /** Whether 1 % fail twice. */
  failures: boolean;
  retry: ConsumerOptions['retry'];
}

export const CONTENDERS: readonly Contender[] = [
  { id: 'no-failures', title: 'no failures (reference)', failures: false, retry: { maxRetries: 2 } },
  {
    id: 'tiers',
    title: '1 % fail twice, retry tiers 1s,2s (maxRetries 0)',
    failures: true,
    retry: { maxRetries: 0, topics: [{ delay: '1s' }, { delay: '2s' }] },
  },
  {
    id: 'in-place',
    title: '1 % fail twice, in-place retries (backoff 100 ms, 200 ms)',
    failures: true,
    retry: { maxRetries: 2, initialDelayMs: 100, maxDelayMs: 1000, jitter: 'none' },
  },
];

export interface TiersRound {
  contender: ContenderId;
  round: number;
  /** The 99 % that never fail: their count / (first finish -> last of them finished). */
  othersPerSec: number;
  othersSeconds: number;
  /** Every message finished (the failing ones after their retries). */
  allSeconds: number;
  failingDone: number;
}

/**
 * One round: a fresh group reads `messages` from the start of the one-partition `topic`,
 * ordering 'partition', per-batch commits; the value holds the message's index.
 */
export async function runRound(
  args: { brokers: string[]; topic: string; messages: number; round: number; concurrency: number },
  contender: Contender,
): Promise<TiersRound> {
  let others = 0;
  for (let i = 0; i < args.messages; i++) if (!failing(i)) others++;
  const done = new Set<number>();
  let othersDone = 0;
  let failingDone = 0;
  let first = 0;
  let othersAt = 0;
  let allAt = 0;
  let reached!: () => void;
  const all = new Promise<void>((resolve) => {
    reached = resolve;
  });
  const consumer = createConsumer({
    brokers: args.brokers,
    groupId: uniqueName(`bench-tiers-${contender.id}`),
    topics: [args.topic],
    fromBeginning: true,
    commit: 'per-batch',
    concurrency: args.concurrency,
    logger: noopLogger,
    shutdown: { signals: [] },
    retry: contender.retry,
    handler: async ({ value, attempt }) => {
      await sleep(HANDLER_MS);
      const index = Number((value as Buffer).toString('latin1', 0, 10));
      const fails = contender.failures && failing(index);
      if (fails && attempt <= 2) throw new Error(`message ${index} fails at attempt ${attempt}`);
      if (done.has(index)) return;
      done.add(index);
      const now = performance.now();
      if (first === 0) first = now;
      if (!failing(index)) {
        if (++othersDone === others) othersAt = now;
      } else if (fails) failingDone++;
      if (done.size === args.messages) {
        allAt = now;
        reached();
      }
    },
  });
  await consumer.run();
  const timeout = setTimeout(() => reached(), 300_000);
  await all;
  clearTimeout(timeout);
  await consumer.disconnect();
  const othersSeconds = (othersAt - first) / 1000;
  return {
    contender: contender.id,
    round: args.round,
    othersPerSec: others / othersSeconds,
    othersSeconds,
    allSeconds: ((allAt || performance.now()) - first) / 1000,
    failingDone,
  };
}
