import { DLQ_HEADERS } from '@kafkakit/kafka-consumer';
import type { ConsumedRecord } from '@kafkakit/kafka-testkit';
import { readAllRecords, toDeadLetter } from '../dlq.js';
import { AckingProducer, ID_HEADER, numbered } from '../producer.js';
import { criterion } from '../result.js';
import type { ScenarioDefinition } from '../scenario.js';
import type { CommitStrategy } from '../types.js';
import { describeExit, stopChild, waitHandled } from './steps.js';

/** Headers a DLQ record carries only sometimes: the error code (errors with one), the tiers (after retry tiers). */
const OPTIONAL: ReadonlySet<string> = new Set([DLQ_HEADERS.errorCode, DLQ_HEADERS.retryTiers]);

const POISON = '1:5';
const ORIGIN = { 'x-origin': 'fault-suite', 'x-trace': 'trace-8' };

const str = (v: unknown) => (v === undefined || v === null ? undefined : String(v));

/** Compares a DLQ record with the source message: key, value, original headers, DLQ metadata. */
function sameAsSource(record: ConsumedRecord, topic: string, offset: string): string[] {
  const wrong: string[] = [];
  const source = numbered(1, 5);
  if (str(record.key) !== source.key) wrong.push(`key ${str(record.key)}`);
  if (str(record.value) !== source.value) wrong.push(`value ${str(record.value)}`);
  for (const [name, value] of Object.entries({ ...ORIGIN, [ID_HEADER]: POISON }))
    if (str(record.headers[name]) !== value) wrong.push(`header ${name}=${str(record.headers[name])}`);
  // x-dlq-error-code is written only for an error that has a code (this handler's has none).
  for (const name of Object.values(DLQ_HEADERS))
    if (!OPTIONAL.has(name) && record.headers[name] === undefined) wrong.push(`missing ${name}`);
  const expect: Record<string, string> = {
    [DLQ_HEADERS.sourceTopic]: topic,
    [DLQ_HEADERS.sourcePartition]: '1',
    [DLQ_HEADERS.sourceOffset]: offset,
    [DLQ_HEADERS.attempts]: '3',
  };
  for (const [name, value] of Object.entries(expect))
    if (str(record.headers[name]) !== value)
      wrong.push(`${name}=${str(record.headers[name])} (want ${value})`);
  return wrong;
}

/**
 * 8. A poison message with maxRetries 2: the handler is called exactly 3 times for it; exactly one
 * DLQ record with the original key, value and headers plus the metadata headers; later messages
 * are processed.
 */
export function poisonMessage(
  perPartition = 20,
  strategies: readonly CommitStrategy[] = ['per-batch'],
): ScenarioDefinition {
  return {
    id: 8,
    title: 'poison message -> DLQ',
    strategies,
    share: true,
    run: async (ctx) => {
      const topic = await ctx.topic('fault-poison', 3);
      const dlqTopic = `${topic}.dlq`;
      ctx.owns(dlqTopic);
      const producer = new AckingProducer(ctx.brokers, topic);
      await producer.connect();
      const messages = [];
      for (let p = 0; p < 3; p++)
        for (let s = 0; s < perPartition; s++) messages.push({ ...numbered(p, s), headers: { ...ORIGIN } });
      await producer.send(messages).finally(() => producer.disconnect());
      const acked = producer.acked;
      const sampler = await ctx.sampler(topic);
      const child = ctx.child(
        ctx.childConfig(topic, {
          retry: { maxRetries: 2, initialDelayMs: 10, maxDelayMs: 50 },
          deadLetter: { topic: dlqTopic },
          behaviour: { poisonIds: [POISON] },
        }),
      );
      await child.ready;
      await waitHandled(ctx, acked, 60_000);
      const stop = await stopChild(child, 'SIGTERM');
      const records = await readAllRecords(ctx.brokers, dlqTopic);
      const poisonOffset = acked.find((m) => m.id === POISON)?.offset ?? '?';
      const calls = ctx.ledger().filter((e) => e.ev === 'call' && e.id === POISON);
      const attempts = calls.map((e) => (e.ev === 'call' ? e.a : 0));
      const later = acked.filter((m) => m.partition === 1 && BigInt(m.offset) > BigInt(poisonOffset));
      const done = ctx.completedIds();
      const wrong = records.length === 1 && records[0] ? sameAsSource(records[0], topic, poisonOffset) : [];
      return {
        acked,
        dlq: records.map(toDeadLetter),
        samples: await sampler.stop(),
        judge: (m) => [criterion('0 duplicates', m.duplicates === 0, `${m.duplicates}`)],
        criteria: [
          criterion(
            'handler called exactly 3 times',
            attempts.join(',') === '1,2,3',
            `attempts [${attempts}]`,
          ),
          criterion('exactly one DLQ record', records.length === 1, `${records.length} records`),
          criterion(
            'DLQ record keeps key, value, headers + metadata',
            records.length === 1 && wrong.length === 0,
            wrong.join('; ') || 'ok',
          ),
          criterion(
            'later messages processed',
            later.length > 0 && later.every((m) => done.has(m.id)),
            `${later.filter((m) => done.has(m.id)).length}/${later.length}`,
          ),
          criterion('clean exit 0', stop.exit.code === 0, describeExit(stop)),
        ],
      };
    },
  };
}
