import {
  consumeAll,
  produceMessages,
  readCommittedOffsets,
  testClient,
  waitFor,
} from '@kafkakit/kafka-testkit';
import { ConfigResourceTypes } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { DeadLetterError, NonRetryableError, PartitionStoppedError } from '../../src/index.js';
import { brokers, consumer, record, text, topic } from './support.js';

const committedOf = async (groupId: string, source: string) =>
  (await readCommittedOffsets(brokers(), groupId, source))[0];

describe('failures that must not skip a message', () => {
  it('DLQ write failure: source offset not committed, partition paused, error event, then recovery', async () => {
    const source = await topic('kc-dlqfail');
    // The DLQ rejects records over 100 bytes, so every dead-letter write fails (MESSAGE_TOO_LARGE).
    const dlq = await topic('kc-dlqfail-dlq', 1, { 'max.message.bytes': '100' });
    await produceMessages(brokers(), source, [{ value: 'ok-0' }, { value: 'bad-1' }, { value: 'ok-2' }]);
    const calls: string[] = [];
    const c = consumer({
      topics: [source],
      deadLetter: { topic: dlq, writeAttempts: 2, recoveryDelayMs: 300 },
      handler: async ({ message }) => {
        calls.push(message.offset);
        if (text(message.value) === 'bad-1') throw new NonRetryableError('bad record');
      },
    });
    const events = record(c, 'error', 'partition.paused', 'partition.resumed', 'message.dead-lettered');
    await c.run();
    await waitFor(() => events.error.length >= 2 && events['partition.resumed'].length >= 1, {
      timeoutMs: 20_000,
      message: 'two failed write rounds with a resume in between',
    });
    expect(events.error[0]?.error).toBeInstanceOf(DeadLetterError);
    expect(events.error[0]).toMatchObject({ topic: source, partition: 0 });
    expect(events['partition.paused'][0]).toMatchObject({
      topic: source,
      partition: 0,
      reason: 'dead-letter-failed',
    });
    expect(await committedOf(c.options.groupId, source)).toBe('1');
    const health = c.health();
    expect(['unhealthy']).toContain(health.status);
    expect(health.problems.join()).toContain('dead-letter-failed');
    // The handler ran once; recovery retries only the DLQ write; offset 2 waits behind it.
    expect(calls).toEqual(['0', '1']);

    const admin = testClient(brokers()).admin();
    await admin.connect();
    await admin.alterConfigs({
      validateOnly: false,
      resources: [
        {
          type: ConfigResourceTypes.TOPIC,
          name: dlq,
          configEntries: [{ name: 'max.message.bytes', value: '1048576' }],
        },
      ],
    });
    await admin.disconnect();

    await waitFor(async () => (await committedOf(c.options.groupId, source)) === '3', {
      timeoutMs: 20_000,
      message: 'recovered and committed',
    });
    expect(events['message.dead-lettered']).toMatchObject([{ offset: '1', deadLetterTopic: dlq }]);
    expect(calls).toEqual(['0', '1', '2']);
    expect(c.health().status).toBe('healthy');
    const [dead] = await consumeAll(brokers(), dlq, 1, { timeoutMs: 15_000 });
    expect(text(dead?.value)).toBe('bad-1');
  });

  it('deadLetter: false stops the partition (paused, error event, unhealthy) and never skips the message', async () => {
    const source = await topic('kc-stop', 2);
    await produceMessages(brokers(), source, [
      { value: 'p0-0', partition: 0 },
      { value: 'p0-1', partition: 0 },
      { value: 'p0-2', partition: 0 },
      { value: 'p1-0', partition: 1 },
      { value: 'p1-1', partition: 1 },
    ]);
    let healed = false;
    const calls: Array<[string, number]> = [];
    const c = consumer({
      topics: [source],
      deadLetter: false,
      retry: { maxRetries: 1, initialDelayMs: 10, maxDelayMs: 10 },
      handler: async ({ message, attempt }) => {
        calls.push([text(message.value) ?? '', attempt]);
        if (text(message.value) === 'p0-1' && !healed) throw new Error('downstream is down');
      },
    });
    const events = record(c, 'error', 'partition.paused');
    await c.run();
    await waitFor(() => events.error.length === 1 && calls.some(([v]) => v === 'p1-1'), {
      message: 'partition 0 stopped, partition 1 done',
    });
    expect(events.error[0]?.error).toBeInstanceOf(PartitionStoppedError);
    expect(events['partition.paused']).toMatchObject([
      { topic: source, partition: 0, reason: 'retries-exhausted' },
    ]);
    await waitFor(
      async () => {
        const offsets = await readCommittedOffsets(brokers(), c.options.groupId, source);
        return offsets[0] === '1' && offsets[1] === '2';
      },
      { message: 'partition 0 committed up to the failed message only' },
    );
    // Stays stopped: a message produced to partition 1 afterwards is fetched and processed (the
    // consumer is alive and fetching), and partition 0 still got no further call.
    await produceMessages(brokers(), source, [{ value: 'p1-marker', partition: 1 }]);
    await waitFor(() => calls.some(([v]) => v === 'p1-marker'), { message: 'partition 1 still consumed' });
    expect(calls.filter(([v]) => v.startsWith('p0'))).toEqual([
      ['p0-0', 1],
      ['p0-1', 1],
      ['p0-1', 2],
    ]);
    const health = c.health();
    expect(health.status).toBe('unhealthy');
    expect(health.stoppedPartitions).toEqual([{ topic: source, partition: 0 }]);
    expect(health.pausedPartitions).toEqual([{ topic: source, partition: 0 }]);

    healed = true;
    expect(c.resumePartition(source, 0)).toBe(true);
    await waitFor(async () => (await readCommittedOffsets(brokers(), c.options.groupId, source))[0] === '3', {
      message: 'resumed partition finished',
    });
    expect(calls.filter(([v]) => v.startsWith('p0')).slice(3)).toEqual([
      ['p0-1', 1],
      ['p0-2', 1],
    ]);
    expect(c.health().status).toBe('healthy');
  });
});
