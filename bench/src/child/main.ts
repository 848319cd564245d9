// A contender process: reads its spec from BENCH_SPEC, consumes until the target, writes its result
// to spec.resultFile and exits. One process per measurement, so CPU seconds and peak RSS are its own.
// BENCH_DRAIN=1 runs the drain scenario instead (src/child/drain.ts). Each contender's module is
// imported on demand, so a process loads only the client it measures.
import type { ChildSpec } from '../types.js';
import type { DrainSpec } from './drain.js';
import { workFor } from './handler.js';
import { isKeyedContender } from './keyed-contenders.js';
import { Meter } from './meter.js';

async function contender(spec: ChildSpec): Promise<void> {
  const meter = new Meter(spec);
  const work = workFor(spec.handler);
  if (isKeyedContender(spec.contender)) {
    return (await import('./runtime-keyed.js')).runRuntimeKeyed(spec, meter, work);
  }
  switch (spec.contender) {
    case 'kafkajs-eachMessage':
      return (await import('./kafkajs.js')).runKafkaJs(spec, meter, work, 'eachMessage');
    case 'kafkajs-eachBatch':
      return (await import('./kafkajs.js')).runKafkaJs(spec, meter, work, 'eachBatch');
    case 'platformatic':
      return (await import('./platformatic.js')).runPlatformatic(spec, meter, work);
    default:
      return (await import('./runtime.js')).runRuntime(spec, meter, work);
  }
}

async function drain(spec: DrainSpec): Promise<void> {
  return (await import('./drain.js')).runDrainChild(spec);
}

const raw = process.env.BENCH_SPEC;
if (raw === undefined) {
  throw new Error('BENCH_SPEC is not set: this file is started by the bench orchestrator');
}
const started =
  process.env.BENCH_DRAIN === '1'
    ? drain(JSON.parse(raw) as DrainSpec)
    : contender(JSON.parse(raw) as ChildSpec);
started.catch((error: unknown) => {
  process.stderr.write(`bench child failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
