import { KEYED_DATASETS, KEYED_WORKLOADS } from './keyed-plan.js';
import { type Spread, spread } from './stats.js';
import type { Row, Target } from './summary.js';
import type { ContenderId, RoundResult } from './types.js';

const find = (rows: readonly Row[], workload: string, contender: ContenderId) =>
  rows.find((r) => r.workload === workload && r.contender === contender);
const int = (n: number) => Math.round(n).toLocaleString('en-US');
const rate = (s: Spread) => `${int(s.median)} (${int(s.min)}–${int(s.max)})`;

/** Issue 10's speed-up targets: the runtime on one partition against raw KafkaJS eachMessage. */
const SPEEDUP = [
  { workload: 'key-5ms', min: 50 },
  { workload: 'key-1ms', min: 20 },
] as const;
/** The hot run's other keys against the same run's key-1ms runtime-key. */
const HOT_MIN = 0.8;
const HOT_CONTENDERS = ['runtime-key', 'runtime-key-buffer-all'] as const;

/** The issue-10 targets on this run's medians (workloads that did not run are left out). */
export function evaluateKeyedTargets(rows: readonly Row[]): Target[] {
  const targets: Target[] = [];
  for (const { workload, min } of SPEEDUP) {
    const base = find(rows, workload, 'kafkajs-eachMessage');
    if (!base) continue;
    for (const contender of ['runtime-key', 'runtime-unordered'] as const) {
      const row = find(rows, workload, contender);
      if (!row) continue;
      const ratio = row.msgPerSec.median / base.msgPerSec.median;
      const detail = `${ratio.toFixed(1)}x (${int(row.msgPerSec.median)} vs ${int(base.msgPerSec.median)} msg/s)`;
      targets.push(
        contender === 'runtime-key'
          ? { name: `${workload} runtime-key >= ${min}x KafkaJS eachMessage`, met: ratio >= min, detail }
          : {
              name: `${workload} runtime-unordered vs KafkaJS eachMessage (reported, no threshold)`,
              met: true,
              detail,
            },
      );
    }
    const rss = ['kafkajs-eachMessage', 'runtime-key', 'runtime-unordered']
      .map((c) => find(rows, workload, c as ContenderId))
      .filter((r): r is Row => r !== undefined)
      .map((r) => `${r.contender} ${r.peakRssMb.median.toFixed(0)} MB`);
    targets.push({
      name: `${workload} peak RSS (reported, no threshold)`,
      met: true,
      detail: rss.join(', '),
    });
  }
  const perMessage = find(rows, 'noop-1p', 'runtime-per-message');
  const perBatch = find(rows, 'noop-1p', 'runtime-per-batch');
  if (perMessage && perBatch) {
    const ratio = perMessage.msgPerSec.median / perBatch.msgPerSec.median;
    targets.push({
      name: 'noop-1p runtime-per-message >= 0.25x runtime-per-batch (one partition)',
      met: ratio >= 0.25,
      detail: `${ratio.toFixed(2)}x (${int(perMessage.msgPerSec.median)} vs ${int(perBatch.msgPerSec.median)} msg/s)`,
    });
  }
  for (const contender of HOT_CONTENDERS) {
    const row = find(rows, 'hot-1ms', contender);
    const noHot = find(rows, 'key-1ms', contender);
    if (!row || !noHot) continue;
    const ratio = row.msgPerSec.median / noHot.msgPerSec.median;
    targets.push({
      name: `hot-1ms ${contender}: other keys' throughput >= ${HOT_MIN}x key-1ms ${contender} (same settings, no hot key)`,
      met: ratio >= HOT_MIN,
      detail: `${ratio.toFixed(2)}x (${int(row.msgPerSec.median)} vs ${int(noHot.msgPerSec.median)} msg/s; peak RSS ${row.peakRssMb.median.toFixed(0)} vs ${noHot.peakRssMb.median.toFixed(0)} MB)`,
    });
  }
  return targets;
}

const x = (a: number, b: number | undefined) => (b ? `${(a / b).toFixed(2)}x` : '–');

/** The hot-key rounds: the other keys' rate next to the hot key's own and the no-hot baselines. */
export function hotKeyTable(rows: readonly Row[], results: readonly RoundResult[]): string {
  const plainKey = find(rows, 'key-1ms', 'runtime-key')?.msgPerSec.median;
  const out: string[] = [];
  for (const contender of HOT_CONTENDERS) {
    const runs = results.filter((r) => r.workload === 'hot-1ms' && r.contender === contender);
    const row = find(rows, 'hot-1ms', contender);
    if (runs.length === 0 || !row) continue;
    const same = find(rows, 'key-1ms', contender)?.msgPerSec.median;
    const hotRate = spread(runs.map((r) => ((r.hotFinished ?? 0) * 1000) / r.windowMs));
    const hotDone = spread(runs.map((r) => r.hotFinished ?? 0)).median;
    const windowS = spread(runs.map((r) => r.windowMs)).median / 1000;
    const limit = contender === 'runtime-key' ? '2,000 (default)' : int(KEYED_DATASETS.hot.count);
    const m = row.msgPerSec.median;
    out.push(
      `| ${contender} | ${limit} | ${int(row.messages)} | ${rate(row.msgPerSec)} | ${windowS.toFixed(1)} | ${int(hotDone)} | ${rate(hotRate)} | ` +
        `${same ? int(same) : '–'} | ${x(m, same)} | ${x(m, plainKey)} | ${row.peakRssMb.median.toFixed(0)} |`,
    );
  }
  if (out.length === 0) return '';
  return [
    "### Hot key (50% of the messages on key 'hot', 1 ms handler, 'key' ordering, concurrency 64)",
    '',
    '| contender | maxBufferedPerPartition | other-key msgs counted | other keys msg/s median (min–max) | window s | hot msgs finished in the window | hot key msg/s | key-1ms same contender msg/s (no hot key) | other keys vs same settings without hot key | vs key-1ms runtime-key | peak RSS MB |',
    '|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
    ...out,
    '',
  ].join('\n');
}

/**
 * Keyed contenders: mean handler calls in flight against the configured concurrency. msg/s ≈ mean
 * in flight / handler time; a mean well below the concurrency means the handlers starved.
 */
export function inFlightTable(results: readonly RoundResult[]): string {
  const out: string[] = [];
  for (const workload of KEYED_WORKLOADS) {
    for (const contender of workload.contenders) {
      const runs = results.filter(
        (r) => r.workload === workload.id && r.contender === contender && r.inFlight,
      );
      if (runs.length === 0) continue;
      const mean = spread(runs.map((r) => r.inFlight?.mean ?? 0));
      const max = Math.max(...runs.map((r) => r.inFlight?.max ?? 0));
      const perCall = spread(
        runs.map((r) => ((r.inFlight?.mean ?? 0) * r.windowMs) / (r.messages + (r.hotFinished ?? 0))),
      );
      out.push(
        `| ${workload.id} | ${contender} | ${workload.concurrency} | ${mean.median.toFixed(1)} (${mean.min.toFixed(1)}–${mean.max.toFixed(1)}) | ${max} | ${perCall.median.toFixed(2)} |`,
      );
    }
  }
  if (out.length === 0) return '';
  return [
    '### Keyed contenders: handler calls in flight (first call → window end)',
    '',
    '| workload | contender | concurrency | mean in flight median (min–max) | max in flight | ms per call (mean in flight × window / messages finished) |',
    '|---|---|--:|--:|--:|--:|',
    ...out,
    '',
  ].join('\n');
}
