import { randomBytes } from 'node:crypto';
import {
  consumeAll,
  createTopic,
  produceMessages,
  readCommittedOffsets,
  waitFor,
} from '@kafkakit/kafka-testkit';
import { describe, expect, it } from 'vitest';
import { DLQ_HEADERS, NonRetryableError } from '../../src/index.js';
import { brokers, cleanupTopic, consumer, text, topic } from './support.js';

const LIMIT = { 'max.message.bytes': String(24 * 1024 * 1024) };
const NOT_UTF8 = Buffer.from([0xff, 0xfe, 0x00, 0xc3, 0x28, 0x80]);
const bigHeaders = () =>
  Object.fromEntries(Array.from({ length: 1024 }, (_, i) => [`h${i}`, randomBytes(1024)])) as Record<
    string,
    Buffer
  >;

describe('hostile messages', () => {
  it('processes or dead-letters null keys and values, non-UTF-8 headers, a 1 MB header set and 10 MB values, without a crash', async () => {
    const source = await topic('kc-hostile', 1, LIMIT);
    const dlq = `${source}.dlq`;
    await createTopic(brokers(), dlq, 1, LIMIT);
    cleanupTopic(dlq);
    const tenMb = randomBytes(10 * 1024 * 1024);
    const tenMbDlq = randomBytes(10 * 1024 * 1024);
    const headers = bigHeaders();
    const sent = [
      { key: null, value: null },
      { key: 'utf8-not', value: 'v', headers: { bin: NOT_UTF8, 'k\u00e9y': 'caf\u00e9' } },
      { key: 'dlq-headers', value: 'with a 1 MB header set', headers },
      { key: 'big', value: tenMb },
      { key: 'dlq-big', value: tenMbDlq },
      { key: null, value: NOT_UTF8 },
      { key: 'dlq-null', value: null, headers: { bin: NOT_UTF8 } },
    ];
    for (const m of sent) await produceMessages(brokers(), source, [m]);

    const seen: Array<{ key: Buffer | null; value: Buffer | null; headers: number }> = [];
    const c = consumer({
      topics: [source],
      handler: async ({ message }) => {
        seen.push({
          key: message.key,
          value: message.value,
          headers: Object.keys(message.headers ?? {}).length,
        });
        if (text(message.key)?.startsWith('dlq-'))
          throw new NonRetryableError(`dead-letter ${text(message.key)}`);
      },
    });
    const crashes: string[] = [];
    // A fresh broker may still be loading the group coordinator: KafkaJS restarts from that itself.
    c.on('consumer.crashed', (e) => {
      if ((e.error as { type?: string }).type !== 'GROUP_LOAD_IN_PROGRESS') crashes.push(e.error.message);
    });
    await c.run();
    await waitFor(
      async () =>
        (await readCommittedOffsets(brokers(), c.options.groupId, source))[0] === String(sent.length),
      {
        timeoutMs: 45_000,
        message: 'every hostile message committed',
      },
    );
    expect(crashes).toEqual([]);
    expect(seen).toHaveLength(sent.length);
    expect(seen[0]).toEqual({ key: null, value: null, headers: 0 });
    expect(seen[2]?.headers).toBe(1024);
    expect(seen[3]?.value?.equals(tenMb)).toBe(true);
    expect(seen[5]?.value).toEqual(NOT_UTF8);

    const dead = await consumeAll(brokers(), dlq, 3, { timeoutMs: 30_000 });
    const byKey = new Map(dead.map((r) => [text(r.key), r]));
    const h = byKey.get('dlq-headers')?.headers as Record<string, Buffer>;
    for (const [name, value] of Object.entries(headers)) expect(h[name]?.equals(value), name).toBe(true);
    expect(byKey.get('dlq-big')?.value?.equals(tenMbDlq)).toBe(true);
    const nullValue = byKey.get('dlq-null');
    expect(nullValue?.value).toBeNull();
    expect((nullValue?.headers as Record<string, Buffer>).bin).toEqual(NOT_UTF8);
    expect(text((nullValue?.headers as Record<string, Buffer>)[DLQ_HEADERS.sourceOffset])).toBe('6');
  }, 90_000);
});
