import { consumeAll, produceMessages, readEndOffsets, type TestMessage } from '@kafkakit/kafka-testkit';
import { runCli } from '../../src/cli/run.js';
import { buildDeadLetterHeaders } from '../../src/index.js';
import { textSink } from '../unit/support/text-sink.js';
import { brokers, topic } from './support.js';

export interface DeadLetterSpec {
  key?: string;
  value?: string;
  error?: string;
  failedAt?: Date;
  sourcePartition?: number;
  redriveCount?: number;
}

/** A source topic and its DLQ holding `specs` as the runtime writes them (buildDeadLetterHeaders). */
export async function deadLetters(
  specs: DeadLetterSpec[],
  { sourcePartitions = 3, dlqPartitions = 1 } = {},
): Promise<{ source: string; dlq: string }> {
  const source = await topic('kc-cli-src', sourcePartitions);
  const dlq = await topic(`${source}.dlq`, dlqPartitions);
  const messages: TestMessage[] = specs.map((s, i) => {
    const error = new Error(`failure ${i}`);
    error.name = s.error ?? 'Error';
    return {
      key: s.key ?? `k${i}`,
      value: s.value ?? `v${i}`,
      partition: i % dlqPartitions,
      headers: buildDeadLetterHeaders(
        {
          'trace-id': `t${i}`,
          ...(s.redriveCount === undefined ? {} : { 'x-redrive-count': String(s.redriveCount) }),
        },
        {
          topic: source,
          partition: s.sourcePartition ?? i % sourcePartitions,
          offset: String(i),
          timestamp: '1700000000000',
          groupId: 'kc-cli-group',
          error,
          attempts: 2,
          failedAt: s.failedAt ?? new Date('2026-12-01T10:00:00.000Z'),
        },
      ) as TestMessage['headers'],
    };
  });
  await produceMessages(brokers(), dlq, messages);
  return { source, dlq };
}

export const specs = (n: number, spec: (i: number) => DeadLetterSpec = () => ({})) =>
  Array.from({ length: n }, (_, i) => spec(i));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

const sink = textSink;

/** `kafkakit <args>` in this process, against the test broker (KAFKA_BROKERS). */
export async function kafkakit(...args: string[]): Promise<CliResult> {
  const out = sink();
  const err = sink();
  const started = performance.now();
  const code = await runCli(args, {
    env: { KAFKA_BROKERS: brokers().join(','), KAFKAKIT_DEBUG: process.env.KAFKAKIT_DEBUG },
    out: out.stream,
    err: err.stream,
    signal: new AbortController().signal,
  });
  return { code, stdout: out.text(), stderr: err.text(), ms: performance.now() - started };
}

/** Every record now in `topic` (only redrives write to the test's source topics). */
export async function recordsIn(target: string) {
  const ends = await readEndOffsets(brokers(), target);
  const count = Object.values(ends).reduce((n, end) => n + Number(end), 0);
  return consumeAll(brokers(), target, count);
}

export const origins = (records: Awaited<ReturnType<typeof recordsIn>>) =>
  records.map((r) => String(r.headers['x-redrive-origin'])).sort();

/** The DLQ offsets a dry run says it would write. */
export const wouldWrite = (stdout: string) =>
  [...stdout.matchAll(/^would write \S+\[(\d+)\]@(\d+)/gm)].map((m) => Number(m[2])).sort((a, b) => a - b);
