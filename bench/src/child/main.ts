// A contender process: reads its spec from BENCH_SPEC, consumes until the target, writes its result
// to spec.resultFile and exits. One process per measurement, so CPU seconds and peak RSS are its own.
// BENCH_DRAIN=1 runs the drain scenario instead (src/child/drain.ts).
import type { ChildSpec } from '../types.js';
import { type DrainSpec, runDrainChild } from './drain.js';
import { workFor } from './handler.js';
import { runKafkaJs } from './kafkajs.js';
import { Meter } from './meter.js';
import { runPlatformatic } from './platformatic.js';
import { runRuntime } from './runtime.js';

function contender(spec: ChildSpec): Promise<void> {
  const meter = new Meter(spec);
  const work = workFor(spec.handler);
  switch (spec.contender) {
    case 'kafkajs-eachMessage':
      return runKafkaJs(spec, meter, work, 'eachMessage');
    case 'kafkajs-eachBatch':
      return runKafkaJs(spec, meter, work, 'eachBatch');
    case 'platformatic':
      return runPlatformatic(spec, meter, work);
    default:
      return runRuntime(spec, meter, work);
  }
}

const raw = process.env.BENCH_SPEC;
if (raw === undefined) {
  throw new Error('BENCH_SPEC is not set: this file is started by the bench orchestrator');
}
const started =
  process.env.BENCH_DRAIN === '1'
    ? runDrainChild(JSON.parse(raw) as DrainSpec)
    : contender(JSON.parse(raw) as ChildSpec);
started.catch((error: unknown) => {
  process.stderr.write(`bench child failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
