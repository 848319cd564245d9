// Issue 10 workloads: one partition, many keys, the runtime's 'key' / 'unordered' ordering against
// raw KafkaJS eachMessage (necessarily serial on one partition), and a hot key. See bench/README.md.
import type { Workload } from './plan.js';
import type { ContenderId } from './types.js';

/** Seeded by src/keyed-seed.ts into 1-partition topics, 100 B values. */
export interface KeyedDataset {
  label: string;
  count: number;
  size: number;
  /** Distinct keys of the spread messages ('k000' ... 'k999'). */
  keys: number;
  /** Share of the messages carrying the key 'hot' (every other message at 0.5). */
  hotShare: 0 | 0.5;
}

export const KEYED_DATASETS = {
  keyed: { label: '100 B, 1 partition, 1,000 keys', count: 120_000, size: 100, keys: 1000, hotShare: 0 },
  hot: {
    label: "100 B, 1 partition, 50% key 'hot' + 1,000 keys",
    count: 200_000,
    size: 100,
    keys: 1000,
    hotShare: 0.5,
  },
} as const satisfies Record<string, KeyedDataset>;
export type KeyedDatasetId = keyof typeof KEYED_DATASETS;

const ROUNDS = 3;
/**
 * Per round: raw eachMessage runs ~4-6 s (5 ms: ~165-190 msg/s; 1 ms: ~650-850 msg/s); the runtime
 * 60,000 (5 ms) / 100,000 (1 ms) of the 120,000, ~5-7 s at the 9,000-15,000 msg/s one partition gets
 * with the default buffer (~4 s unpaused). The whole `pnpm bench` stays near 15 minutes on 2 cores.
 */
const EACH_MESSAGE_5MS = 1_000;
const EACH_MESSAGE_1MS = 3_000;
const RUNTIME_5MS = 60_000;
const RUNTIME_1MS = 100_000;
/**
 * The hot run's other keys. Default buffer: the first 20,000 of them (~20 s; the rate settles at
 * the hot key's serial rate after the first fetch); whole-backlog buffer: all 100,000 (a few seconds).
 */
const HOT_OTHERS_DEFAULT = 20_000;
/** noop-1p: half the keyed backlog per round (per-batch reads it in about a second). */
const ONE_PARTITION = 60_000;
const HOT_OTHERS_ALL = KEYED_DATASETS.hot.count * (1 - KEYED_DATASETS.hot.hotShare);
const n = (v: number) => v.toLocaleString('en-US');

/** runtime-key-buffer-all: maxBufferedPerPartition = the dataset's whole backlog (never paused). */
const bufferAll = (count: number) => (c: ContenderId) =>
  c === 'runtime-key-buffer-all' ? { maxBufferedPerPartition: count } : {};

const SERIAL_VS_KEYED: readonly ContenderId[] = ['kafkajs-eachMessage', 'runtime-key', 'runtime-unordered'];

export const KEYED_WORKLOADS: readonly Workload[] = [
  {
    id: 'key-5ms',
    title: '5 ms async handler, 1 partition, 1,000 keys, 100 B; runtime concurrency 100',
    dataset: 'keyed',
    handler: { kind: 'sleep', ms: 5 },
    concurrency: 100,
    rounds: ROUNDS,
    contenders: SERIAL_VS_KEYED,
    target: (c) => (c === 'kafkajs-eachMessage' ? EACH_MESSAGE_5MS : RUNTIME_5MS),
  },
  {
    id: 'key-1ms',
    title: '1 ms async handler, 1 partition, 1,000 keys, 100 B; runtime concurrency 64',
    note:
      '`runtime-key-buffer-all`: `runtime-key` with maxBufferedPerPartition = the whole backlog ' +
      `(${n(KEYED_DATASETS.keyed.count)}; the partition is never paused), the no-hot-key baseline of hot-1ms's runtime-key-buffer-all.`,
    dataset: 'keyed',
    handler: { kind: 'sleep', ms: 1 },
    concurrency: 64,
    rounds: ROUNDS,
    contenders: [...SERIAL_VS_KEYED, 'runtime-key-buffer-all'],
    target: (c) => (c === 'kafkajs-eachMessage' ? EACH_MESSAGE_1MS : RUNTIME_1MS),
    childSpec: bufferAll(KEYED_DATASETS.keyed.count),
  },
  {
    id: 'hot-1ms',
    title:
      "1 ms async handler, 1 partition, 50% key 'hot' + 1,000 keys, 100 B; 'key' ordering, concurrency 64",
    note:
      "msg/s here is the **other keys'** throughput: non-hot messages finished / time from the first message " +
      'to the last non-hot one counted (the hot backlog is still running then). `runtime-key`: default ' +
      `maxBufferedPerPartition (2,000), the first ${n(HOT_OTHERS_DEFAULT)} other-key messages; ` +
      `\`runtime-key-buffer-all\`: ${n(KEYED_DATASETS.hot.count)} (the whole backlog), all ${n(HOT_OTHERS_ALL)}.`,
    dataset: 'hot',
    handler: { kind: 'sleep', ms: 1 },
    concurrency: 64,
    rounds: ROUNDS,
    contenders: ['runtime-key', 'runtime-key-buffer-all'],
    target: (c) => (c === 'runtime-key-buffer-all' ? HOT_OTHERS_ALL : HOT_OTHERS_DEFAULT),
    childSpec: (c) => ({ excludeHot: true, ...bufferAll(KEYED_DATASETS.hot.count)(c) }),
  },
  {
    id: 'noop-1p',
    title: "No-op handler, 1 partition, 100 B; 'partition' ordering: per-message commits against per-batch",
    note:
      'Issue 17: one partition pays a commit round trip per window of `maxUncommitted` (500) under per-message; ' +
      'target per-message >= 0.25x per-batch.',
    dataset: 'keyed',
    handler: { kind: 'noop' },
    concurrency: 1,
    rounds: ROUNDS,
    contenders: ['runtime-per-message', 'runtime-per-batch'],
    target: () => ONE_PARTITION,
  },
];
