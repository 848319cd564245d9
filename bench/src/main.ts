// `pnpm bench`: one broker, seeded once; throughput rounds, fixed-rate latency, SIGTERM drain;
// prints a markdown report and writes JSON under bench/results/. See bench/README.md.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_KAFKA_VERSION, startKafka, uniqueName } from '@kafkakit/kafka-testkit';
import { buildChild } from './build.js';
import { type DrainRound, runDrainRound, seedDrainTopic } from './drain.js';
import { describeMachine, load } from './environment.js';
import { consumerPerformanceClasspath } from './java-tools.js';
import { KEYED_DATASETS } from './keyed-plan.js';
import { seedKeyedTopic } from './keyed-seed.js';
import { hotKeyTable, inFlightTable } from './keyed-summary.js';
import { type LatencyRun, runLatency } from './latency.js';
import { fullReport } from './markdown.js';
import * as plan from './plan.js';
import { seedTopic } from './seed.js';
import { useChildEntry } from './spawn.js';
import { evaluateTargets, summarise } from './summary.js';
import { runWorkload } from './throughput.js';
import type { RoundResult } from './types.js';

const log = (line: string) => process.stdout.write(`${line}\n`);
const began = performance.now();
const startedAt = new Date();
const loadBefore = load();
const only = process.env.BENCH_WORKLOADS?.split(',');
const passes = new Set((process.env.BENCH_PASSES ?? 'throughput,latency,drain').split(','));

const entry = await buildChild();
useChildEntry(entry);
const kafka = await startKafka({ mode: process.env.KAFKAKIT_TEST_BROKERS ? undefined : 'local', heap: '1g' });
const brokers = kafka.brokers;
log(`Kafka ${kafka.version} (${kafka.mode}) at ${brokers.join(',')}; load ${loadBefore.join(' ')}`);
try {
  const version = /^\d+\.\d+\.\d+$/.test(kafka.version) ? kafka.version : DEFAULT_KAFKA_VERSION;
  const javaClasspath = consumerPerformanceClasspath(version);
  const runId = uniqueName('b');
  const topics: Record<string, string> = {};
  for (const [id, d] of Object.entries(plan.DATASETS)) {
    topics[id] = `bench-${id}-${runId}`;
    const ms = await seedTopic(brokers, topics[id], d.count, d.size);
    log(`seeded ${d.count} x ${d.label} into ${topics[id]} in ${(ms / 1000).toFixed(1)} s`);
  }
  for (const [id, d] of Object.entries(KEYED_DATASETS)) {
    if (!plan.WORKLOADS.some((w) => w.dataset === id && (!only || only.includes(w.id)))) continue;
    topics[id] = `bench-${id}-${runId}`;
    const ms = await seedKeyedTopic(brokers, topics[id], d);
    log(`seeded ${d.count} x ${d.label} into ${topics[id]} in ${(ms / 1000).toFixed(1)} s`);
  }

  const results: RoundResult[] = [];
  if (passes.has('throughput')) {
    for (const workload of plan.WORKLOADS) {
      if (only && !only.includes(workload.id)) continue;
      log(`workload ${workload.id}: ${workload.title}`);
      results.push(...(await runWorkload({ brokers, topics, javaClasspath, runId, log }, workload)));
    }
  }
  const rows = summarise(results);

  const latency: LatencyRun[] = [];
  if (passes.has('latency')) {
    for (const contender of plan.LATENCY_CONTENDERS) {
      const max = rows.find((r) => r.workload === plan.LATENCY_WORKLOAD && r.contender === contender);
      const rate = Math.max(100, Math.round((max?.msgPerSec.median ?? 10_000) * plan.LATENCY_FRACTION));
      const run = await runLatency(
        brokers,
        contender,
        `bench-lat-${contender}-${runId}`,
        rate,
        plan.LATENCY_DURATION_MS,
      );
      latency.push(run);
      log(
        `  latency ${contender.padEnd(22)} ${rate} msg/s: handler p50 ${run.toHandler?.p50.toFixed(1)} p99 ${run.toHandler?.p99.toFixed(1)} ms, ` +
          `commit p50 ${run.toCommit?.p50.toFixed(1)} p99 ${run.toCommit?.p99.toFixed(1)} ms`,
      );
    }
  }

  const drain: DrainRound[] = [];
  if (passes.has('drain')) {
    const topic = `bench-drain-${runId}`;
    await seedDrainTopic(brokers, topic);
    for (let round = 1; round <= plan.DRAIN_ROUNDS; round++) {
      const d = await runDrainRound(entry, brokers, topic, `${topic}-g${round}`, round);
      drain.push(d);
      log(
        `  drain r${round}: ${d.drainMs.toFixed(0)} ms (longest remaining ${d.report.longestRemainingMs.toFixed(0)} ms)`,
      );
    }
  }

  const targets = evaluateTargets(rows, drain, latency);
  const wallMs = performance.now() - began;
  const loadAfter = load();
  const machine = describeMachine();
  const header =
    `Run ${startedAt.toISOString()}: ${machine.cores} cores (${machine.cpuModel}), ${machine.memoryGb} GB, Linux ${machine.kernel}; ` +
    `Node ${machine.node}, KafkaJS ${machine.kafkajs}, @platformatic/kafka ${machine.platformaticKafka}, ` +
    `Apache Kafka ${kafka.version} (${kafka.mode}, single broker); load average before ${loadBefore.join('/')}, after ${loadAfter.join('/')}; ` +
    `wall time ${(wallMs / 60_000).toFixed(1)} min.` +
    (process.env.BENCH_RUNTIME_SRC ? ` Runtime: candidate copy ${process.env.BENCH_RUNTIME_SRC}.` : '') +
    (process.env.BENCH_KEYED_OPTIONS
      ? ` Keyed contenders with BENCH_KEYED_OPTIONS=${process.env.BENCH_KEYED_OPTIONS}.`
      : '');
  const report = fullReport(header, rows, latency, drain, targets, [
    hotKeyTable(rows, results),
    inFlightTable(results),
  ]);
  const resultsDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'results');
  mkdirSync(resultsDir, { recursive: true });
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
  const json = {
    startedAt: startedAt.toISOString(),
    wallMs,
    machine,
    kafka: { version: kafka.version, mode: kafka.mode },
    runtimeSource: process.env.BENCH_RUNTIME_SRC ?? 'packages/kafka-consumer',
    load: { before: loadBefore, after: loadAfter },
    plan: {
      datasets: plan.DATASETS,
      keyedDatasets: KEYED_DATASETS,
      workloads: plan.WORKLOADS.map((w) => ({
        ...w,
        targets: Object.fromEntries(w.contenders.map((c) => [c, w.target(c)])),
      })),
    },
    rows,
    targets,
    rounds: results,
    latency,
    drain,
  };
  writeFileSync(join(resultsDir, `bench-${stamp}.json`), `${JSON.stringify(json, null, 2)}\n`);
  writeFileSync(join(resultsDir, `bench-${stamp}.md`), report);
  log(`\n${report}`);
  log(`results: bench/results/bench-${stamp}.json`);
} finally {
  await kafka.stop();
}
