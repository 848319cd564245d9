import type { DrainRound } from './drain.js';
import type { LatencyRun } from './latency.js';
import { WORKLOADS } from './plan.js';
import type { Spread } from './stats.js';
import type { Row, Target } from './summary.js';

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const range = (s: Spread, digits = 0) =>
  `${s.median.toFixed(digits)} (${s.min.toFixed(digits)}–${s.max.toFixed(digits)})`;
const rate = (s: Spread) => `${int(s.median)} (${int(s.min)}–${int(s.max)})`;
const ratio = (r: number | undefined) => (r === undefined ? '–' : `${r.toFixed(2)}x`);
const ms = (n: number | undefined) => (n === undefined || Number.isNaN(n) ? '–' : n.toFixed(1));

export function throughputTable(rows: readonly Row[]): string {
  const out: string[] = [];
  for (const workload of WORKLOADS) {
    const mine = rows.filter((r) => r.workload === workload.id);
    if (mine.length === 0) continue;
    out.push(`**${workload.title}** (\`${workload.id}\`)`, '');
    if (workload.note) out.push(workload.note, '');
    out.push(
      '| contender | msgs/round | msg/s median (min–max) | MB/s | CPU s | CPU µs/msg | peak RSS MB | heap after GC MB | vs KafkaJS eachBatch | vs eachMessage |',
      '|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
    );
    for (const r of mine) {
      out.push(
        `| ${r.contender} | ${int(r.messages)} | ${rate(r.msgPerSec)} | ${r.mbPerSec.median.toFixed(1)} | ` +
          `${r.cpuSeconds.median.toFixed(2)} | ${r.cpuMicrosPerMsg.toFixed(1)} | ${range(r.peakRssMb)} | ${r.heapAfterGcMb?.toFixed(1) ?? '–'} | ` +
          `${ratio(r.vsEachBatch)} | ${ratio(r.vsEachMessage)} |`,
      );
    }
    out.push('');
  }
  return out.join('\n');
}

export function latencyTable(runs: readonly LatencyRun[]): string {
  const out = [
    '| contender | target msg/s | produced msg/s | → handler p50 ms | → handler p99 ms | → commit ack p50 ms | → commit ack p99 ms | peak RSS MB |',
    '|---|--:|--:|--:|--:|--:|--:|--:|',
  ];
  for (const l of runs) {
    out.push(
      `| ${l.contender} | ${int(l.targetRate)} | ${int(l.producedRate)} | ${ms(l.toHandler?.p50)} | ${ms(l.toHandler?.p99)} | ` +
        `${ms(l.toCommit?.p50)} | ${ms(l.toCommit?.p99)} | ${l.peakRssMb.toFixed(0)} |`,
    );
  }
  return out.join('\n');
}

export function drainTable(rounds: readonly DrainRound[]): string {
  const out = [
    '| round | in flight at SIGTERM | longest handler ms | longest remaining ms | SIGTERM → exit ms | runtime drain ms | exit code |',
    '|--:|--:|--:|--:|--:|--:|--:|',
  ];
  for (const d of rounds) {
    out.push(
      `| ${d.round} | ${d.report.inFlightAtSignal} | ${d.report.longestHandlerMs} | ${d.report.longestRemainingMs.toFixed(0)} | ` +
        `${d.drainMs.toFixed(0)} | ${d.report.runtimeDurationMs ?? '–'} | ${d.exitCode} |`,
    );
  }
  return out.join('\n');
}

export function targetList(targets: readonly Target[]): string {
  return targets.map((t) => `- ${t.met ? '✅' : '❌'} ${t.name}: ${t.detail}`).join('\n');
}

export function fullReport(
  header: string,
  rows: readonly Row[],
  latency: readonly LatencyRun[],
  drain: readonly DrainRound[],
  targets: readonly Target[],
  /** Further sections (markdown, each ending with a blank line) printed after the throughput tables. */
  sections: readonly string[] = [],
): string {
  return [
    header,
    '',
    '### Throughput (backlog from the beginning, fresh group per round)',
    '',
    throughputTable(rows),
    ...sections.filter((s) => s !== ''),
    '### End-to-end latency at 50% of each contender’s max (no-op, 100 B)',
    '',
    latencyTable(latency),
    '',
    '### Drain after SIGTERM (runtime, 100 handlers in flight)',
    '',
    drainTable(drain),
    '',
    '### Targets',
    '',
    targetList(targets),
    '',
  ].join('\n');
}
