// A contender process: reads its ChildSpec from BENCH_SPEC, consumes until the target, writes its
// ChildResult to spec.resultFile and exits. Run one per measurement so CPU and RSS are its own.
import type { ChildSpec } from '../types.js';
import { workFor } from './handler.js';
import { runKafkaJs } from './kafkajs.js';
import { Meter } from './meter.js';
import { runPlatformatic } from './platformatic.js';
import { runRuntime } from './runtime.js';

const raw = process.env.BENCH_SPEC;
if (raw === undefined)
  throw new Error('BENCH_SPEC is not set: this file is started by the bench orchestrator');
const spec = JSON.parse(raw) as ChildSpec;
const meter = new Meter(spec);
const work = workFor(spec.handler);

async function start(): Promise<void> {
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

start().catch((error: unknown) => {
  process.stderr.write(
    `contender ${spec.contender} failed: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});
