import { produceMessages, produceWithJavaClient, waitFor } from '@kafkakit/kafka-testkit';
import { CompressionCodecs, CompressionTypes } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import { installCodecs } from '../../src/client/kafkajs-patches/codecs.js';
import { brokers, consumer, record, text, topic } from './support.js';

const codecs = CompressionCodecs as Record<number, () => unknown>;
// The runtime's codecs, as its first client installs them (the test then takes zstd away and back).
installCodecs();
const zstd = codecs[CompressionTypes.ZSTD];

afterEach(() => {
  codecs[CompressionTypes.ZSTD] = zstd as () => unknown;
});

/** As a KafkaJS without zstd support (or any codec it does not know): its lookup throws. */
function forgetZstd(): void {
  codecs[CompressionTypes.ZSTD] = () => {
    throw new Error('ZSTD compression not implemented');
  };
}

describe('a batch that cannot be decoded', () => {
  it('holds only its partition, names topic, partition and offset, and resumes once decodable', async () => {
    const source = await topic('kc-undecodable', 2);
    await produceMessages(brokers(), source, [
      { partition: 0, key: 'a', value: 'before-0' },
      { partition: 0, key: 'b', value: 'before-1' },
    ]);
    const offsets = await produceWithJavaClient(
      brokers(),
      source,
      [0, 1, 2].map((i) => ({ partition: 0, key: Buffer.from(`z${i}`), value: Buffer.from(`zstd-${i}`) })),
      { compression: 'zstd' },
    );
    expect(offsets.map(([, o]) => o)).toEqual([2, 3, 4]);
    await produceMessages(
      brokers(),
      source,
      Array.from({ length: 20 }, (_, i) => ({ partition: 1, key: `p1-${i}`, value: `p1-${i}` })),
    );
    forgetZstd();
    const seen: string[] = [];
    const c = consumer({
      topics: [source],
      handler: async ({ message, partition }) => {
        seen.push(`${partition}:${text(message.value)}`);
      },
    });
    const events = record(c, 'consumer.crashed', 'partition.paused', 'error');
    await c.run();
    await waitFor(
      () => c.health().problems.length > 0 && seen.filter((s) => s.startsWith('1:')).length === 20,
      {
        timeoutMs: 30_000,
        message: 'partition 1 consumed and partition 0 held',
      },
    );
    const report = c.health();
    expect(report.status).toBe('unhealthy');
    expect(report.pausedPartitions).toEqual([{ topic: source, partition: 0 }]);
    expect(report.problems).toHaveLength(1);
    expect(report.problems[0]).toContain(`${source}[0] paused: undecodable-batch`);
    expect(report.problems[0]).toContain('record batch at offset 2 (offsets 2..4)');
    expect(report.problems[0]).toContain('ZSTD compression not implemented');
    expect(report.problems[0]).toContain('--to-offset 5');
    expect(events['partition.paused']).toEqual([
      { topic: source, partition: 0, reason: 'undecodable-batch' },
    ]);
    expect(events.error).toHaveLength(1);
    // No crash from the batch (a fresh broker may still report its group coordinator loading).
    expect(events['consumer.crashed'].filter((e) => /compression|decode/i.test(e.error.message))).toEqual([]);
    // The batches before the bad one on the same partition were delivered.
    expect(seen.filter((s) => s.startsWith('0:'))).toEqual(['0:before-0', '0:before-1']);

    // Once the codec is known again (an upgrade), resumePartition gets past it.
    codecs[CompressionTypes.ZSTD] = zstd as () => unknown;
    expect(c.resumePartition(source, 0)).toBe(true);
    await waitFor(() => seen.includes('0:zstd-2'), { timeoutMs: 20_000, message: 'the zstd batch consumed' });
    expect(seen.filter((s) => s.startsWith('0:'))).toEqual([
      '0:before-0',
      '0:before-1',
      '0:zstd-0',
      '0:zstd-1',
      '0:zstd-2',
    ]);
    expect(c.health().problems).toEqual([]);
  });
});
