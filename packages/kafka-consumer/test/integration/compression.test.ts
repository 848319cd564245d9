import { randomBytes } from 'node:crypto';
import {
  consumeAll,
  type JavaCompression,
  type JavaRecord,
  produceWithJavaClient,
  readCommittedOffsets,
  waitFor,
} from '@kafkakit/kafka-testkit';
import { describe, expect, it } from 'vitest';
import { DLQ_HEADERS, NonRetryableError } from '../../src/index.js';
import { brokers, cleanupTopic, consumer, text, topic } from './support.js';

/** Compressible text, incompressible random bytes, empty and null values, a null key: per partition. */
function records(partitions: number): JavaRecord[] {
  const out: JavaRecord[] = [];
  for (let i = 0; i < 60; i++) {
    const kind = i % 4;
    const value =
      kind === 0
        ? Buffer.from(`order ${i} `.repeat(200))
        : kind === 1
          ? randomBytes(100 + i * 37)
          : kind === 2
            ? Buffer.alloc(0)
            : Buffer.from(`{"n":${i},"bin":"${randomBytes(8).toString('hex')}"}`);
    out.push({ key: i === 5 ? null : Buffer.from(`k${i}`), value, partition: i % partitions });
  }
  // A poison message per partition, with binary content, to be dead-lettered byte for byte.
  for (let p = 0; p < partitions; p++) {
    out.push({
      key: Buffer.from(`poison-${p}`),
      value: Buffer.concat([randomBytes(300), Buffer.from([0xff, 0x00])]),
      partition: p,
    });
  }
  out.push({ key: Buffer.from('null-value'), value: null, partition: 0 });
  return out;
}

const id = (topicName: string, partition: number, offset: number | string) =>
  `${topicName}/${partition}/${offset}`;

describe('batches compressed by a non-KafkaJS producer', () => {
  it.each<JavaCompression>([
    'gzip',
    'snappy',
    'lz4',
    'zstd',
  ])('consumes %s batches from the Java producer and dead-letters their messages byte for byte', async (compression) => {
    const partitions = 2;
    // The topic's own compression.type makes the broker store (and serve) this codec whatever it receives.
    const source = await topic(`kc-codec-${compression}`, partitions, { 'compression.type': compression });
    const dlq = `${source}.dlq`;
    cleanupTopic(dlq);
    const sent = records(partitions);
    const offsets = await produceWithJavaClient(brokers(), source, sent, { compression });
    const expected = new Map(
      sent.map((r, i) => {
        const [partition, offset] = offsets[i] as [number, number];
        return [id(source, partition, offset), r];
      }),
    );

    const seen = new Map<string, { key: Buffer | null; value: Buffer | null }>();
    const c = consumer({
      topics: [source],
      handler: async ({ message, topic: t, partition }) => {
        seen.set(id(t, partition, message.offset), { key: message.key, value: message.value });
        if (text(message.key)?.startsWith('poison-')) throw new NonRetryableError('poison');
      },
    });
    await c.run();
    await waitFor(
      async () => {
        const committed = await readCommittedOffsets(brokers(), c.options.groupId, source);
        return offsets.every(([p, o]) => Number(committed[p] ?? -1) > o);
      },
      { timeoutMs: 30_000, message: `every ${compression} record committed` },
    );

    expect(seen.size).toBe(sent.length);
    for (const [key, record] of expected) {
      const got = seen.get(key);
      expect(got?.key ?? null, key).toEqual(record.key);
      expect(got?.value ?? null, key).toEqual(record.value);
    }

    const dead = await consumeAll(brokers(), dlq, partitions, { timeoutMs: 20_000 });
    for (const r of dead) {
      const h = r.headers as Record<string, Buffer>;
      const origin = id(
        source,
        Number(text(h[DLQ_HEADERS.sourcePartition])),
        text(h[DLQ_HEADERS.sourceOffset]) ?? '',
      );
      const original = expected.get(origin);
      expect(text(original?.key ?? null)).toMatch(/^poison-/);
      expect(r.key).toEqual(original?.key);
      expect(r.value).toEqual(original?.value);
    }
  });
});
