import { KEYED_WORKLOADS, type KeyedDatasetId } from './keyed-plan.js';
import type { ChildSpec, ContenderId, HandlerKind, NodeContenderId } from './types.js';

/** Seeded backlogs (3 partitions each, null keys, round-robin). */
export const DATASETS = {
  small: { label: '100 B', count: 200_000, size: 100 },
  large: { label: '1 KB', count: 100_000, size: 1024 },
} as const;
export type DatasetId = keyof typeof DATASETS;

/** Rounds per workload (A B C ... repeated); the no-op workloads carry the throughput targets, so they get more. */
const NOOP_ROUNDS = 5;
const IO_ROUNDS = 3;

export interface Workload {
  id: string;
  title: string;
  /** Printed under the title in the report. */
  note?: string;
  dataset: DatasetId | KeyedDatasetId;
  handler: HandlerKind;
  concurrency: number;
  rounds: number;
  contenders: readonly ContenderId[];
  /** Messages each contender consumes per round (a contender-specific subset where noted). */
  target: (contender: ContenderId) => number;
  /** Extra child settings per contender (keyed workloads: buffer limit, hot-key metering). */
  childSpec?: (contender: ContenderId) => Pick<ChildSpec, 'maxBufferedPerPartition' | 'excludeHot'>;
}

const ALL: readonly ContenderId[] = [
  'kafkajs-eachMessage',
  'kafkajs-eachBatch',
  'runtime-per-message',
  'runtime-per-batch',
  'runtime-per-batch-metrics',
  'runtime-interval',
  'runtime-dlq-1pct',
  'platformatic',
  'java-ConsumerPerformance',
];
const WITH_HANDLER: readonly ContenderId[] = [
  'kafkajs-eachMessage',
  'kafkajs-eachBatch',
  'runtime-per-message',
  'runtime-per-batch',
  'runtime-interval',
  'platformatic',
];

/**
 * Fixed message counts keep `pnpm bench` under 15 minutes on 2 cores: the DLQ path (one
 * acknowledged produce per poison message) runs a subset of the backlog; the 1 ms workloads run
 * 1,000 / 2,000 messages. per-message reads the same share as the others (its commits coalesce).
 */
const DLQ_SUBSET = 20_000;
/** No-op rounds read half the backlog: enough for a steady rate, and it keeps the run in budget. */
const NOOP_SHARE = 0.5;
/** The Java tool reads the whole backlog: its JIT warm-up would otherwise dominate a short window. */
const noopTarget = (count: number) => (contender: ContenderId) => {
  if (contender === 'runtime-dlq-1pct') return Math.min(count, DLQ_SUBSET);
  if (contender === 'java-ConsumerPerformance') return count;
  return count * NOOP_SHARE;
};

export const WORKLOADS: readonly Workload[] = [
  {
    id: 'noop-100B',
    title: 'No-op handler, 100 B messages',
    dataset: 'small',
    handler: { kind: 'noop' },
    concurrency: 1,
    rounds: NOOP_ROUNDS,
    contenders: ALL,
    target: noopTarget(DATASETS.small.count),
  },
  {
    id: 'noop-1KB',
    title: 'No-op handler, 1 KB messages',
    dataset: 'large',
    handler: { kind: 'noop' },
    concurrency: 1,
    rounds: NOOP_ROUNDS,
    contenders: ALL,
    target: noopTarget(DATASETS.large.count),
  },
  {
    id: 'io1ms-c1',
    title: '1 ms async handler, concurrency 1, 100 B',
    dataset: 'small',
    handler: { kind: 'sleep', ms: 1 },
    concurrency: 1,
    rounds: IO_ROUNDS,
    contenders: WITH_HANDLER,
    target: () => 1_000,
  },
  {
    id: 'io1ms-c3',
    title: '1 ms async handler, concurrency 3 (partitions at once), 100 B',
    dataset: 'small',
    handler: { kind: 'sleep', ms: 1 },
    concurrency: 3,
    rounds: IO_ROUNDS,
    contenders: WITH_HANDLER,
    target: () => 2_000,
  },
  ...KEYED_WORKLOADS,
];

/** Fixed-rate latency pass: 100 B no-op, at 50% of each contender's median no-op 100 B msg/s. */
export const LATENCY_CONTENDERS: readonly NodeContenderId[] = [
  'kafkajs-eachMessage',
  'kafkajs-eachBatch',
  'runtime-per-message',
  'runtime-per-batch',
  'runtime-interval',
  'platformatic',
];
export const LATENCY_WORKLOAD = 'noop-100B';
export const LATENCY_FRACTION = 0.5;
export const LATENCY_DURATION_MS = 4_000;

export const DRAIN_ROUNDS = 3;
