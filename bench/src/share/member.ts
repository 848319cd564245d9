// One consumer process of `pnpm bench:share`: a share-group member (createShareConsumer) or a
// consumer-group consumer ('partition' / 'key' ordering), a handler awaiting a timer. Reports over
// IPC: 'ready' once joined, then every 250 ms its count, first/last finish time and CPU since its
// first message; exits on 'stop' (after the orchestrator saw the target across all members).
import { setTimeout as sleep } from 'node:timers/promises';
import { createConsumer, createShareConsumer, noopLogger } from '@kafkakit/kafka-consumer';
import type { MemberReport, MemberSpec } from './types.js';

const raw = process.env.BENCH_SHARE_SPEC;
if (raw === undefined) throw new Error('BENCH_SHARE_SPEC is not set: started by src/share/main.ts');
const spec = JSON.parse(raw) as MemberSpec;
const send = (message: unknown) => process.send?.(message);
const now = () => performance.timeOrigin + performance.now();

let count = 0;
let firstAt = 0;
let lastAt = 0;
let cpuAtFirst: NodeJS.CpuUsage | undefined;

const handler = async () => {
  await sleep(spec.handlerMs);
  if (count === 0) {
    firstAt = now();
    cpuAtFirst = process.cpuUsage();
  }
  count++;
  lastAt = now();
};

const common = {
  brokers: spec.brokers,
  groupId: spec.groupId,
  topics: [spec.topic],
  concurrency: spec.concurrency,
  logger: noopLogger,
  shutdown: { signals: [] as NodeJS.Signals[] },
  maxWaitTimeMs: 200,
  handler,
};
const consumer =
  spec.kind === 'share'
    ? createShareConsumer(common)
    : createConsumer({ ...common, fromBeginning: true, ordering: spec.kind, commit: 'per-batch' });

function report(final: boolean): MemberReport {
  const cpu = cpuAtFirst === undefined ? { user: 0, system: 0 } : process.cpuUsage(cpuAtFirst);
  return {
    type: final ? 'final' : 'progress',
    count,
    firstAt,
    lastAt,
    cpuMs: (cpu.user + cpu.system) / 1000,
  };
}

await consumer.run();
send({ type: 'ready' });
const timer = setInterval(() => send(report(false)), 250);
process.on('message', (message: { type?: string }) => {
  if (message.type !== 'stop') return;
  clearInterval(timer);
  send(report(true));
  void consumer.disconnect().finally(() => process.exit(0));
});
