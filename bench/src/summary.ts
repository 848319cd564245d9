import type { DrainRound } from './drain.js';
import { evaluateKeyedTargets } from './keyed-summary.js';
import type { LatencyRun } from './latency.js';
import { WORKLOADS } from './plan.js';
import { type Spread, spread } from './stats.js';
import type { ContenderId, RoundResult } from './types.js';

export interface Row {
  workload: string;
  contender: ContenderId;
  rounds: number;
  messages: number;
  msgPerSec: Spread;
  mbPerSec: Spread;
  cpuSeconds: Spread;
  cpuMicrosPerMsg: number;
  peakRssMb: Spread;
  /** Median heap after a full GC at the end (undefined for the Java tool). */
  heapAfterGcMb: number | undefined;
  /** Median msg/s divided by raw KafkaJS eachBatch's median msg/s in the same workload. */
  vsEachBatch: number | undefined;
  vsEachMessage: number | undefined;
}

export interface Target {
  name: string;
  met: boolean;
  detail: string;
}

export function summarise(results: readonly RoundResult[]): Row[] {
  const rows: Row[] = [];
  for (const workload of WORKLOADS) {
    const mine = results.filter((r) => r.workload === workload.id);
    const median = (c: ContenderId) => {
      const runs = mine.filter((r) => r.contender === c);
      return runs.length > 0 ? spread(runs.map((r) => r.msgPerSec)).median : undefined;
    };
    const eachBatch = median('kafkajs-eachBatch');
    const eachMessage = median('kafkajs-eachMessage');
    for (const contender of workload.contenders) {
      const runs = mine.filter((r) => r.contender === contender);
      if (runs.length === 0) continue;
      const msgPerSec = spread(runs.map((r) => r.msgPerSec));
      rows.push({
        workload: workload.id,
        contender,
        rounds: runs.length,
        messages: (runs[0] as RoundResult).messages,
        msgPerSec,
        mbPerSec: spread(runs.map((r) => r.mbPerSec)),
        cpuSeconds: spread(runs.map((r) => r.cpuSeconds)),
        cpuMicrosPerMsg: spread(runs.map((r) => (r.cpuSeconds * 1e6) / r.messages)).median,
        peakRssMb: spread(runs.map((r) => r.peakRssMb)),
        heapAfterGcMb:
          runs[0]?.heapAfterGcMb === undefined
            ? undefined
            : spread(runs.map((r) => r.heapAfterGcMb ?? 0)).median,
        vsEachBatch: eachBatch ? msgPerSec.median / eachBatch : undefined,
        vsEachMessage: eachMessage ? msgPerSec.median / eachMessage : undefined,
      });
    }
  }
  return rows;
}

const find = (rows: readonly Row[], workload: string, contender: ContenderId) =>
  rows.find((r) => r.workload === workload && r.contender === contender);

/** The targets, evaluated on this run's medians. */
export function evaluateTargets(
  rows: readonly Row[],
  drain: readonly DrainRound[],
  latency: readonly LatencyRun[],
): Target[] {
  const targets: Target[] = [];
  for (const workload of ['noop-100B', 'noop-1KB']) {
    const base = find(rows, workload, 'kafkajs-eachBatch');
    for (const contender of ['runtime-per-batch', 'runtime-interval'] as const) {
      const row = find(rows, workload, contender);
      if (!base || !row) continue;
      const ratio = row.msgPerSec.median / base.msgPerSec.median;
      targets.push({
        name: `${workload} ${contender} throughput >= 0.95x KafkaJS eachBatch`,
        met: ratio >= 0.95,
        detail: `${ratio.toFixed(2)}x (${Math.round(row.msgPerSec.median)} vs ${Math.round(base.msgPerSec.median)} msg/s)`,
      });
    }
    const plain = find(rows, workload, 'runtime-per-batch');
    const metrics = find(rows, workload, 'runtime-per-batch-metrics');
    if (plain && metrics) {
      const ratio = metrics.msgPerSec.median / plain.msgPerSec.median;
      targets.push({
        name: `${workload} Prometheus metrics cost <= 5% throughput (runtime-per-batch-metrics vs runtime-per-batch)`,
        met: workload !== 'noop-100B' || ratio >= 0.95,
        detail: `${ratio.toFixed(3)}x (${Math.round(metrics.msgPerSec.median)} vs ${Math.round(plain.msgPerSec.median)} msg/s; CPU ${metrics.cpuMicrosPerMsg.toFixed(1)} vs ${plain.cpuMicrosPerMsg.toFixed(1)} µs/msg)`,
      });
    }
    const perMessage = find(rows, workload, 'runtime-per-message');
    if (base && perMessage) {
      const ratio = perMessage.msgPerSec.median / base.msgPerSec.median;
      targets.push({
        name: `${workload} runtime-per-message throughput >= 0.5x KafkaJS eachBatch`,
        met: ratio >= 0.5,
        detail: `${ratio.toFixed(2)}x (${Math.round(perMessage.msgPerSec.median)} vs ${Math.round(base.msgPerSec.median)} msg/s; one commit in flight, maxUncommitted 500)`,
      });
    }
  }
  for (const workload of WORKLOADS.map((w) => w.id)) {
    const base = find(rows, workload, 'kafkajs-eachBatch');
    for (const contender of ['runtime-per-message', 'runtime-per-batch', 'runtime-interval'] as const) {
      const row = find(rows, workload, contender);
      if (!base || !row) continue;
      const delta = row.peakRssMb.median - base.peakRssMb.median;
      targets.push({
        name: `${workload} ${contender} peak RSS <= KafkaJS eachBatch + 30 MB`,
        met: delta <= 30,
        detail: `${row.peakRssMb.median.toFixed(0)} MB vs ${base.peakRssMb.median.toFixed(0)} MB (${delta >= 0 ? '+' : ''}${delta.toFixed(0)} MB)`,
      });
    }
  }
  targets.push(...evaluateKeyedTargets(rows));
  for (const d of drain) {
    const limit = d.report.longestRemainingMs + 1000;
    targets.push({
      name: `drain round ${d.round}: SIGTERM -> exit <= longest in-flight handler + 1 s`,
      met: d.drainMs <= limit && d.exitCode === 0,
      detail: `${d.drainMs.toFixed(0)} ms vs ${limit.toFixed(0)} ms (${d.report.inFlightAtSignal} in flight, exit ${d.exitCode})`,
    });
  }
  for (const l of latency) {
    if (l.uncommitted && l.uncommitted > 0) {
      targets.push({
        name: `latency ${l.contender}: every measured message committed`,
        met: false,
        detail: `${l.uncommitted} never acknowledged`,
      });
    }
  }
  return targets;
}
