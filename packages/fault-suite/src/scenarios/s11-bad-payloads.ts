import { DLQ_HEADERS } from '@kafkakit/kafka-consumer';
import { readAllRecords, toDeadLetter } from '../dlq.js';
import { AckingProducer, numbered, type OutgoingMessage } from '../producer.js';
import { criterion } from '../result.js';
import type { ScenarioDefinition } from '../scenario.js';
import type { CommitStrategy } from '../types.js';
import { describeExit, stopChild, waitHandled } from './steps.js';

const NON_UTF8_KEY = Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0x00, 0x80]);

/** The bad payloads, in partition order, and whether each is a decode error for the JSON codec. */
export function badPayloads(): Array<OutgoingMessage & { decodeError: boolean }> {
  const big = JSON.stringify({ id: 'big', pad: 'x'.repeat(1024 * 1024) });
  return [
    { id: 'invalid-json', partition: 0, value: '{"id": not json', decodeError: true },
    { id: 'null-value', partition: 0, value: null, decodeError: false },
    { id: 'empty-value', partition: 0, value: Buffer.alloc(0), decodeError: true },
    { id: 'one-megabyte', partition: 0, value: big, decodeError: false },
    { id: 'non-utf8-key', partition: 0, key: NON_UTF8_KEY, value: '{"ok":true}', decodeError: false },
    { id: 'non-utf8-key-bad-json', partition: 0, key: NON_UTF8_KEY, value: '\u00ff{', decodeError: true },
  ];
}

/**
 * 11. Bad payloads (invalid JSON, null value, empty value, a 1 MB message, a non-UTF-8 key) with the
 * JSON codec: decode errors go to the DLQ with 0 retries (the handler never sees them); a null value
 * is the codec's documented null; no crash; later messages unaffected.
 */
export function badPayloadsScenario(
  strategies: readonly CommitStrategy[] = ['per-batch'],
): ScenarioDefinition {
  return {
    id: 11,
    title: 'bad payloads (JSON codec)',
    strategies,
    run: async (ctx) => {
      const topic = await ctx.topic('fault-payloads', 1, { 'max.message.bytes': String(4 * 1024 * 1024) });
      const dlqTopic = `${topic}.dlq`;
      ctx.owns(dlqTopic);
      const bad = badPayloads();
      const before = Array.from({ length: 5 }, (_, s) => numbered(0, s));
      const after = Array.from({ length: 20 }, (_, s) => numbered(0, 100 + s));
      const producer = new AckingProducer(ctx.brokers, topic);
      await producer.connect();
      try {
        for (const batch of [before, ...bad.map((m) => [m]), after]) await producer.send(batch);
      } finally {
        await producer.disconnect();
      }
      const acked = producer.acked;
      const sampler = await ctx.sampler(topic);
      const child = ctx.child(
        ctx.childConfig(topic, {
          codec: 'json',
          retry: { maxRetries: 3, initialDelayMs: 10, maxDelayMs: 50 },
        }),
      );
      await child.ready;
      await waitHandled(ctx, acked, 60_000);
      const aliveAfter = child.isRunning();
      const stop = await stopChild(child, 'SIGTERM');
      const records = await readAllRecords(ctx.brokers, dlqTopic);
      const dlq = records.map(toDeadLetter);
      const expected = bad.filter((m) => m.decodeError).map((m) => m.id);
      const calls = ctx.ledger().filter((e) => e.ev === 'call' && expected.includes(e.id));
      const attemptsHeaders = records.map((r) => String(r.headers[DLQ_HEADERS.attempts]));
      const keyed = records.find((r) => toDeadLetter(r).id === 'non-utf8-key-bad-json');
      const done = ctx.completedIds();
      const fine = [...before, ...after, ...bad.filter((m) => !m.decodeError)].map((m) => m.id);
      return {
        acked,
        dlq,
        samples: await sampler.stop(),
        judge: (m) => [criterion('0 duplicates', m.duplicates === 0, `${m.duplicates}`)],
        criteria: [
          criterion(
            'decode errors dead-lettered',
            dlq
              .map((r) => r.id)
              .sort()
              .join(',') === [...expected].sort().join(','),
            `DLQ [${dlq.map((r) => r.id)}], want [${expected}]`,
          ),
          criterion(
            'decode errors: 0 retries (no handler call, attempts header 0)',
            calls.length === 0 && attemptsHeaders.every((a) => a === '0'),
            `${calls.length} handler calls, attempts headers [${attemptsHeaders}]`,
          ),
          criterion(
            'non-UTF-8 key kept byte for byte in the DLQ',
            keyed?.key !== undefined && keyed.key !== null && Buffer.compare(keyed.key, NON_UTF8_KEY) === 0,
            keyed?.key ? keyed.key.toString('hex') : 'no record',
          ),
          criterion(
            'every other message processed (null, 1 MB, non-UTF-8 key, later ones)',
            fine.every((id) => done.has(id)),
            `missing [${fine.filter((id) => !done.has(id))}]`,
          ),
          criterion(
            'no crash: consumer alive, exits 0 on SIGTERM',
            aliveAfter && stop.exit.code === 0,
            describeExit(stop),
          ),
        ],
      };
    },
  };
}
