import { type ConsumerOptions, createConsumer, noopLogger } from '@kafkakit/kafka-consumer';
import type { ChildSpec } from '../types.js';
import type { Work } from './handler.js';
import { InFlight } from './in-flight.js';
import { isKeyedContender, KEYED_ORDERING } from './keyed-contenders.js';
import type { Meter } from './meter.js';

/**
 * BENCH_KEYED_OPTIONS='{"maxWaitTimeMs":50}' (diagnostics only): runtime options merged into the
 * keyed contenders' options, e.g. to show what limits them. The report header names it.
 */
function diagnosticOptions(): Partial<ConsumerOptions> {
  const raw = process.env.BENCH_KEYED_OPTIONS;
  return raw ? (JSON.parse(raw) as Partial<ConsumerOptions>) : {};
}

/**
 * The runtime with `ordering: 'key' | 'unordered'`, `concurrency` handler calls in flight and
 * otherwise the settings of the other runtime contenders (per-batch commits, DLQ and retries on, a
 * silent logger, no signal handling). `maxBufferedPerPartition` stays the runtime's default unless
 * the workload sets one (runtime-key-buffer-all: the whole backlog).
 */
export async function runRuntimeKeyed(spec: ChildSpec, meter: Meter, work: Work): Promise<void> {
  if (!isKeyedContender(spec.contender))
    throw new Error(`${spec.contender} is not a keyed runtime contender`);
  const inFlight = new InFlight();
  meter.inFlight = inFlight;
  const consumer = createConsumer({
    brokers: spec.brokers,
    groupId: spec.groupId,
    topics: [spec.topic],
    fromBeginning: true,
    commit: 'per-batch',
    ordering: KEYED_ORDERING[spec.contender],
    concurrency: spec.concurrency,
    ...(spec.maxBufferedPerPartition === undefined
      ? {}
      : { maxBufferedPerPartition: spec.maxBufferedPerPartition }),
    logger: noopLogger,
    shutdown: { signals: [] },
    ...diagnosticOptions(),
    handler: async ({ partition, message }) => {
      inFlight.begin();
      await work();
      inFlight.end();
      meter.seen(partition, message.offset, message.value);
    },
  });
  await consumer.connect();
  await consumer.run();
}
