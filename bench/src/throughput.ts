import { runConsumerPerformance } from './java.js';
import type { Workload } from './plan.js';
import { startChild } from './spawn.js';
import type { ChildResult, ContenderId, RoundResult } from './types.js';

const MB = 1024 * 1024;
/** BENCH_CONTENDERS=a,b runs only these contenders (a focused comparison). */
const onlyContenders = process.env.BENCH_CONTENDERS?.split(',');

export interface ThroughputContext {
  brokers: string[];
  topics: Record<string, string>;
  javaClasspath: string;
  runId: string;
  log: (line: string) => void;
}

async function runOne(ctx: ThroughputContext, workload: Workload, contender: ContenderId, round: number) {
  const topic = ctx.topics[workload.dataset] as string;
  const groupId = `bench-${ctx.runId}-${workload.id}-${contender}-r${round}`;
  const target = workload.target(contender);
  const timeoutMs = 180_000;
  if (contender === 'java-ConsumerPerformance') {
    return runConsumerPerformance(ctx.javaClasspath, ctx.brokers, topic, groupId, target, timeoutMs);
  }
  const spec = {
    mode: 'throughput' as const,
    contender,
    brokers: ctx.brokers,
    topic,
    groupId,
    target,
    handler: workload.handler,
    concurrency: workload.concurrency,
    ...workload.childSpec?.(contender),
  };
  return startChild(spec, timeoutMs).done;
}

function toRound(result: ChildResult, workload: Workload, round: number): RoundResult {
  const seconds = result.windowMs / 1000;
  return {
    ...result,
    round,
    workload: workload.id,
    msgPerSec: result.messages / seconds,
    mbPerSec: result.bytes / MB / seconds,
  };
}

/** Rounds of one workload, alternating the contenders (A B C ... A B C ...), a fresh group each time. */
export async function runWorkload(ctx: ThroughputContext, workload: Workload): Promise<RoundResult[]> {
  const results: RoundResult[] = [];
  for (let round = 1; round <= workload.rounds; round++) {
    for (const contender of workload.contenders) {
      if (onlyContenders && !onlyContenders.includes(contender)) continue;
      const result = toRound(await runOne(ctx, workload, contender, round), workload, round);
      results.push(result);
      ctx.log(
        `  ${workload.id} r${round} ${contender.padEnd(26)} ${Math.round(result.msgPerSec).toString().padStart(7)} msg/s ` +
          `${result.mbPerSec.toFixed(1).padStart(6)} MB/s cpu ${result.cpuSeconds.toFixed(2)} s rss ${result.peakRssMb.toFixed(0)} MB`,
      );
    }
  }
  return results;
}
