import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import {
  BATCH_HEADER,
  createTopic,
  deleteTopics,
  type KafkaHandle,
  readCommittedOffsets,
  readRecordBatches,
  segmentFiles,
  startKafka,
  testClient,
  uniqueName,
  waitFor,
} from '@kafkakit/kafka-testkit';
import { CompressionTypes } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { consumer, record, text } from './support.js';

/**
 * A record batch damaged on the broker's disk. The broker checks CRCs only on produce and serves
 * its segment files as they are (through the page cache), so bytes written into a segment are what
 * the consumer fetches. Needs the broker's log.dirs: the run's broker when the test kit runs it
 * here, else a broker of this test's own.
 */
let own: KafkaHandle | undefined;
let brokers: string[];
let logDir: string;

beforeAll(async () => {
  logDir = inject('kafkaLogDir');
  brokers = inject('kafkaBrokers');
  if (logDir === '') {
    own = await startKafka({ mode: 'local' });
    brokers = own.brokers;
    logDir = own.logDir as string;
  }
}, 120_000);

afterAll(async () => {
  await own?.stop();
});

/** Overwrites bytes of the last segment of `topic[partition]`, at `at` bytes into batch `index`. */
function damage(topic: string, partition: number, index: number, at: number, bytes: number[]): void {
  const file = segmentFiles(logDir, topic, partition).at(-1) as string;
  const batch = readRecordBatches(file)[index];
  if (batch === undefined) throw new Error(`no batch ${index} in ${file}`);
  const fd = openSync(file, 'r+');
  try {
    writeSync(fd, Buffer.from(bytes), 0, bytes.length, batch.position + at);
  } finally {
    closeSync(fd);
  }
}

const require = createRequire(import.meta.url);
const KafkaJsDecoder = require('kafkajs/src/protocol/decoder.js') as new (b: Buffer) => unknown;
const decodeBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder.js') as (
  d: unknown,
) => Promise<{ records: Array<{ value: Buffer }> }>;

/** Batch `index` of `topic[partition]` on disk, decoded by KafkaJS's own batch decoder (no CRC check). */
async function decodeOnDisk(topic: string, partition: number, index: number) {
  const file = segmentFiles(logDir, topic, partition).at(-1) as string;
  const batch = readRecordBatches(file)[index] as { position: number; length: number };
  const bytes = readFileSync(file).subarray(batch.position, batch.position + 12 + batch.length);
  return (await decodeBatch(new KafkaJsDecoder(bytes))).records;
}

const batchesOf = (topic: string, partition: number) =>
  readRecordBatches(segmentFiles(logDir, topic, partition).at(-1) as string).map((b) => [
    Number(b.baseOffset),
    Number(b.lastOffset),
    b.codec,
  ]);

describe('a record batch damaged on the broker', () => {
  it('holds its partition with topic, partition and offset, goes on with the others, and a reset past damaged bytes skips them', async () => {
    const source = uniqueName('kc-corrupt');
    await createTopic(brokers, source, 5);
    const producer = testClient(brokers).producer();
    await producer.connect();
    try {
      // Partitions 0, 2 (gzip), 3 and 4: three batches of three records each (offsets 0-2, 3-5, 6-8).
      for (const batch of ['a', 'b', 'c']) {
        for (const partition of [0, 2, 3, 4]) {
          await producer.send({
            topic: source,
            compression: partition === 2 ? CompressionTypes.GZIP : CompressionTypes.None,
            messages: [0, 1, 2].map((i) => ({
              partition,
              key: `${batch}${i}`,
              value: `${batch}${i}-`.padEnd(40, 'x'),
            })),
          });
        }
      }
      await producer.send({
        topic: source,
        messages: Array.from({ length: 20 }, (_, i) => ({ partition: 1, key: `p1-${i}`, value: `p1-${i}` })),
      });
      // Precondition: the batches lie on disk as produced.
      expect(batchesOf(source, 0)).toEqual([
        [0, 2, 0],
        [3, 5, 0],
        [6, 8, 0],
      ]);
      expect(batchesOf(source, 2)).toEqual([
        [0, 2, 1],
        [3, 5, 1],
        [6, 8, 1],
      ]);

      const records = BATCH_HEADER.size;
      // 0: four bytes of the first record's value: the batch still decodes, only its CRC tells.
      damage(source, 0, 1, records + 20, [0x5a, 0x5a, 0x5a, 0x5a]);
      // 2: garbage in the middle of the gzip stream.
      damage(source, 2, 1, records + 12, new Array(16).fill(0xa5));
      // 3: a batch length below the minimum: the broker itself cannot read its log there.
      damage(source, 3, 1, BATCH_HEADER.lengthAt, [0, 0, 0, 5]);
      expect(batchesOf(source, 3)).toEqual([[0, 2, 0]]);
      // 4: a batch length that runs past the end of the log: the broker returns nothing from there.
      damage(source, 4, 1, BATCH_HEADER.lengthAt, [0, 0, 0x27, 0x10]);
      expect(batchesOf(source, 4)).toEqual([[0, 2, 0]]);
      // Precondition: KafkaJS alone decodes the damaged batch of 0 into records with the wrong bytes.
      expect((await decodeOnDisk(source, 0, 1)).map((r) => r.value.toString())).toEqual([
        `${'b0-'.padEnd(12, 'x')}ZZZZ${'x'.repeat(24)}`,
        `b1-`.padEnd(40, 'x'),
        `b2-`.padEnd(40, 'x'),
      ]);

      const groupId = uniqueName('kc-group');
      const seen: string[] = [];
      const c = consumer({
        brokers,
        groupId,
        topics: [source],
        handler: async ({ message, partition }) => {
          seen.push(`${partition}:${text(message.key)}:${text(message.value)}`);
        },
      });
      const events = record(c, 'consumer.crashed', 'partition.paused', 'error');
      await c.run();
      const onPartition = (list: string[], p: number) => list.filter((s) => s.startsWith(`${p}:`));
      await waitFor(() => c.health().pausedPartitions.length === 4 && onPartition(seen, 1).length === 20, {
        timeoutMs: 20_000,
        message: 'partitions 0, 2, 3, 4 held and partition 1 consumed',
      });
      const report = c.health();
      expect(report.status).toBe('unhealthy');
      expect([...report.pausedPartitions].sort((x, y) => x.partition - y.partition)).toEqual(
        [0, 2, 3, 4].map((partition) => ({ topic: source, partition })),
      );
      expect(report.problems).toHaveLength(4);
      const problem = (p: number) =>
        report.problems.find((s) => s.startsWith(`${source}[${p}] paused`)) ?? '';
      for (const p of [0, 2]) {
        expect(problem(p)).toContain(
          `${source}[${p}] paused: undecodable-batch (cannot decode the record batch at offset 3 (offsets 3..5) of ${source}[${p}]: corrupt record batch (CRC mismatch`,
        );
        expect(problem(p)).toContain(`--topic ${source}:${p} --reset-offsets --to-offset 6 --execute`);
      }
      expect(problem(3)).toContain(
        `${source}[3] paused: undecodable-batch (cannot fetch ${source}[3] at offset 3: the broker cannot read its log there (CORRUPT_MESSAGE`,
      );
      expect(problem(4)).toContain(
        `${source}[4] paused: undecodable-batch (cannot fetch ${source}[4] at offset 3: the broker returns nothing from there, without an error, although the partition has records up to offset 8`,
      );
      expect(events['partition.paused'].map((e) => [e.partition, e.reason]).sort()).toEqual([
        [0, 'undecodable-batch'],
        [2, 'undecodable-batch'],
        [3, 'undecodable-batch'],
        [4, 'undecodable-batch'],
      ]);
      expect(events.error).toHaveLength(4);
      // No crash from the damage (a fresh broker may still report its group coordinator loading).
      expect(
        events['consumer.crashed'].filter((e) => /corrupt|crc|decode|buffer|range/i.test(e.error.message)),
      ).toEqual([]);
      // The batch before the damaged one was processed, nothing of the damaged one was delivered,
      // and the commits reached the damaged batch.
      for (const p of [0, 2, 3, 4]) {
        expect(onPartition(seen, p)).toEqual([0, 1, 2].map((i) => `${p}:a${i}:${`a${i}-`.padEnd(40, 'x')}`));
      }
      await expect
        .poll(() => readCommittedOffsets(brokers, groupId, source), { timeout: 10_000 })
        .toEqual({ 0: '3', 1: '20', 2: '3', 3: '3', 4: '3' });
      // The other partitions go on while the three are held.
      await producer.send({
        topic: source,
        messages: Array.from({ length: 5 }, (_, i) => ({
          partition: 1,
          key: `late-${i}`,
          value: `late-${i}`,
        })),
      });
      await waitFor(() => onPartition(seen, 1).length === 25, {
        timeoutMs: 10_000,
        message: 'late messages',
      });

      // The README's way past a damaged batch: stop the group, reset it to the offset the problem
      // names (what `kafka-consumer-groups --reset-offsets --to-offset 6 --execute` commits), start again.
      await c.disconnect();
      const admin = testClient(brokers).admin();
      await admin.connect();
      await admin
        .setOffsets({
          groupId,
          topic: source,
          partitions: [0, 2, 3, 4].map((partition) => ({ partition, offset: '6' })),
        })
        .finally(() => admin.disconnect());
      const again: string[] = [];
      const c2 = consumer({
        brokers,
        groupId,
        topics: [source],
        handler: async ({ message, partition }) => {
          again.push(`${partition}:${text(message.key)}`);
        },
      });
      await c2.run();
      await waitFor(
        () =>
          onPartition(again, 0).length === 3 &&
          onPartition(again, 2).length === 3 &&
          c2.health().pausedPartitions.length === 2,
        { timeoutMs: 20_000, message: 'batch c consumed on 0 and 2, partitions 3 and 4 held at 6' },
      );
      expect(onPartition(again, 0)).toEqual(['0:c0', '0:c1', '0:c2']);
      expect(onPartition(again, 2)).toEqual(['2:c0', '2:c1', '2:c2']);
      expect(onPartition(again, 1)).toEqual([]);
      // Where the broker cannot read its own log, a reset does not help on that broker (it finds
      // offset 6 by reading the segment's batches from the start, and stops at the damaged one).
      expect([...c2.health().pausedPartitions].sort((x, y) => x.partition - y.partition)).toEqual([
        { topic: source, partition: 3 },
        { topic: source, partition: 4 },
      ]);
      expect([...c2.health().problems].sort()).toEqual([
        expect.stringContaining(
          `cannot fetch ${source}[3] at offset 6: the broker cannot read its log there`,
        ),
        expect.stringContaining(
          `cannot fetch ${source}[4] at offset 6: the broker returns nothing from there`,
        ),
      ]);
      await c2.disconnect();
    } finally {
      await producer.disconnect();
      await deleteTopics(brokers, [source]).catch(() => undefined);
    }
  });
});
