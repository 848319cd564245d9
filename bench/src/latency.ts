import { Producer } from '@platformatic/kafka';
import { MEASURED, nowMs, WARMUP } from './child/meter.js';
import { createReadyTopic, PARTITIONS } from './seed.js';
import { startChild } from './spawn.js';
import type { ChildResult, NodeContenderId } from './types.js';

const TICK_MS = 5;
const VALUE_BYTES = 100;
/** Keeps every produce request far below the broker's 1 MB record-batch limit after a stall. */
const MAX_PER_REQUEST = 2_000;

function latencyValue(kind: number): Buffer {
  const value = Buffer.alloc(VALUE_BYTES, 0x78);
  value[0] = kind;
  value.writeDoubleLE(nowMs(), 1);
  return value;
}

export interface LatencyRun extends ChildResult {
  targetRate: number;
  /** Rate the producer actually achieved over the measured phase. */
  producedRate: number;
}

/**
 * Fixed-rate pass for one contender: a fresh 3-partition topic, the contender in its own process,
 * warm-up messages until it consumes, then `rate` msg/s for `durationMs` (a batch every 5 ms, each
 * value stamped with the producer's clock). The child reports producer -> handler and producer ->
 * commit-acknowledged latency.
 */
export async function runLatency(
  brokers: string[],
  contender: NodeContenderId,
  topic: string,
  rate: number,
  durationMs: number,
): Promise<LatencyRun> {
  await createReadyTopic(brokers, topic, PARTITIONS);
  await createReadyTopic(brokers, `${topic}.dlq`, 1);
  const target = Math.max(1, Math.round((rate * durationMs) / 1000));
  // @platformatic/kafka's producer: about 2.5x less CPU per message than KafkaJS's on this machine,
  // which leaves more of the two cores to the consumer under test.
  const producer = new Producer({ clientId: 'kafkakit-bench-latency', bootstrapBrokers: brokers, acks: 1 });
  try {
    let ready = false;
    const child = startChild(
      {
        mode: 'latency',
        contender,
        brokers,
        topic,
        groupId: `${topic}-g`,
        target,
        handler: { kind: 'noop' },
        concurrency: 1,
      },
      durationMs + 90_000,
      (message) => {
        if (message.type === 'ready') ready = true;
      },
    );
    const exited = child.done.then(
      () => true,
      () => true,
    );
    while (!ready) {
      if (await Promise.race([exited, sleepFalse(200)])) break;
      await send(
        producer,
        topic,
        [0, 1, 2].map(() => latencyValue(WARMUP)),
      );
    }
    const producedMs = ready ? await produceAtRate(producer, topic, rate, target) : 0;
    const result = await child.done;
    return { ...result, targetRate: rate, producedRate: (target / producedMs) * 1000 };
  } finally {
    await producer.close();
  }
}

const sleepFalse = (ms: number) => new Promise<false>((resolve) => setTimeout(() => resolve(false), ms));

let roundRobin = 0;
function send(producer: Producer, topic: string, values: Buffer[]): Promise<unknown> {
  return producer.send({
    messages: values.map((value) => ({ topic, value, partition: roundRobin++ % PARTITIONS })),
  });
}

/** Sends `total` measured messages at `rate` msg/s; returns the elapsed milliseconds. */
async function produceAtRate(
  producer: Producer,
  topic: string,
  rate: number,
  total: number,
): Promise<number> {
  const started = performance.now();
  const pending = new Set<Promise<unknown>>();
  let sent = 0;
  while (sent < total) {
    const due = Math.min(total, Math.floor((rate * (performance.now() - started)) / 1000)) - sent;
    if (due > 0) {
      const chunk = Math.min(due, MAX_PER_REQUEST);
      const values: Buffer[] = [];
      for (let i = 0; i < chunk; i++) values.push(latencyValue(MEASURED));
      const request = send(producer, topic, values);
      const settle = () => pending.delete(request);
      request.then(settle, settle);
      pending.add(request);
      sent += chunk;
    }
    await new Promise((resolve) => setTimeout(resolve, TICK_MS));
  }
  await Promise.all(pending);
  return performance.now() - started;
}
