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
  keyed: { label: '100 B, 1 partition, 1,000 keys', count: 60_000, size: 100, keys: 1000, hotShare: 0 },
  hot: {
    label: "100 B, 1 partition, 50% key 'hot' + 1,000 keys",
    count: 40_000,
    size: 100,
    keys: 1000,
    hotShare: 0.5,
  },
} as const satisfies Record<string, KeyedDataset>;
export type KeyedDatasetId = keyof typeof KEYED_DATASETS;

const ROUNDS = 3;
/**
 * Per round: raw eachMessage runs ~5 s (5 ms: ~180 msg/s; 1 ms: ~800 msg/s); the runtime 50,000 of
 * the 60,000 (a few seconds at the targets' 9,000 / 16,000 msg/s).
 */
const EACH_MESSAGE_5MS = 1_000;
const EACH_MESSAGE_1MS = 3_000;
const RUNTIME_KEYED = 50_000;
/** The hot run's other keys: all of them (half the backlog); the window ends at the last one. */
const HOT_OTHERS = KEYED_DATASETS.hot.count * (1 - KEYED_DATASETS.hot.hotShare);

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
    target: (c) => (c === 'kafkajs-eachMessage' ? EACH_MESSAGE_5MS : RUNTIME_KEYED),
  },
  {
    id: 'key-1ms',
    title: '1 ms async handler, 1 partition, 1,000 keys, 100 B; runtime concurrency 64',
    dataset: 'keyed',
    handler: { kind: 'sleep', ms: 1 },
    concurrency: 64,
    rounds: ROUNDS,
    contenders: SERIAL_VS_KEYED,
    target: (c) => (c === 'kafkajs-eachMessage' ? EACH_MESSAGE_1MS : RUNTIME_KEYED),
  },
  {
    id: 'hot-1ms',
    title:
      "1 ms async handler, 1 partition, 50% key 'hot' + 1,000 keys, 100 B; 'key' ordering, concurrency 64",
    note:
      "msg/s here is the **other keys'** throughput: non-hot messages finished / time from the first message " +
      'to the last non-hot one (the hot backlog is still running then). `runtime-key`: default ' +
      `maxBufferedPerPartition (2,000); \`runtime-key-buffer-all\`: ${KEYED_DATASETS.hot.count.toLocaleString('en-US')} (the whole backlog).`,
    dataset: 'hot',
    handler: { kind: 'sleep', ms: 1 },
    concurrency: 64,
    rounds: ROUNDS,
    contenders: ['runtime-key', 'runtime-key-buffer-all'],
    target: () => HOT_OTHERS,
    childSpec: (c) => ({
      excludeHot: true,
      ...(c === 'runtime-key-buffer-all' ? { maxBufferedPerPartition: KEYED_DATASETS.hot.count } : {}),
    }),
  },
];
