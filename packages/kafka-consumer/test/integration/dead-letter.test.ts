import { consumeAll, produceMessages, readCommittedOffsets, waitFor } from '@kafkakit/kafka-testkit';
import { describe, expect, it } from 'vitest';
import { DLQ_HEADERS, jsonCodec, NonRetryableError } from '../../src/index.js';
import { brokers, cleanupTopic, consumer, record, text, topic } from './support.js';

const header = (headers: Record<string, unknown>, name: string) => text(headers[name] as Buffer | undefined);

describe('dead-letter queue', () => {
  it('writes an exhausted message with its key, value, headers and every DLQ header, then moves on', async () => {
    const source = await topic('kc-dlq');
    const dlq = `${source}.dlq`;
    cleanupTopic(dlq);
    await produceMessages(brokers(), source, [
      { key: 'a', value: 'ok-0' },
      { key: 'poison-key', value: 'poison-value', headers: { 'trace-id': 'abc-123', tenant: 'acme' } },
      { key: 'c', value: 'ok-2' },
    ]);
    const calls: Array<[string, number]> = [];
    const c = consumer({
      topics: [source],
      retry: { maxRetries: 2, initialDelayMs: 10, maxDelayMs: 20 },
      handler: async ({ message, attempt }) => {
        calls.push([message.offset, attempt]);
        if (text(message.value) === 'poison-value') throw new TypeError(`cannot handle ${text(message.key)}`);
      },
    });
    const events = record(c, 'message.failed', 'message.dead-lettered');
    const before = Date.now();
    await c.run();
    await waitFor(async () => (await readCommittedOffsets(brokers(), c.options.groupId, source))[0] === '3', {
      message: 'committed past the dead-lettered message',
    });
    expect(calls).toEqual([
      ['0', 1],
      ['1', 1],
      ['1', 2],
      ['1', 3],
      ['2', 1],
    ]);
    expect(events['message.failed']).toMatchObject([{ offset: '1', attempts: 3, retryable: true }]);
    expect(events['message.dead-lettered']).toMatchObject([
      { offset: '1', deadLetterTopic: dlq, attempts: 3 },
    ]);

    const [record0] = await consumeAll(brokers(), dlq, 1, { timeoutMs: 15_000 });
    if (record0 === undefined) throw new Error('no DLQ record');
    expect(text(record0.key)).toBe('poison-key');
    expect(text(record0.value)).toBe('poison-value');
    const h = record0.headers as Record<string, unknown>;
    expect(header(h, 'trace-id')).toBe('abc-123');
    expect(header(h, 'tenant')).toBe('acme');
    expect(header(h, DLQ_HEADERS.sourceTopic)).toBe(source);
    expect(header(h, DLQ_HEADERS.sourcePartition)).toBe('0');
    expect(header(h, DLQ_HEADERS.sourceOffset)).toBe('1');
    expect(header(h, DLQ_HEADERS.id)).toBe(`${c.options.groupId}/${source}/0/1`);
    expect(Number(header(h, DLQ_HEADERS.sourceTimestamp))).toBeGreaterThan(before - 60_000);
    expect(header(h, DLQ_HEADERS.consumerGroup)).toBe(c.options.groupId);
    expect(header(h, DLQ_HEADERS.errorName)).toBe('TypeError');
    expect(header(h, DLQ_HEADERS.errorMessage)).toBe('cannot handle poison-key');
    expect(header(h, DLQ_HEADERS.errorStack)).toContain('TypeError: cannot handle poison-key');
    expect(header(h, DLQ_HEADERS.attempts)).toBe('3');
    const failedAt = Date.parse(header(h, DLQ_HEADERS.failedAt) ?? '');
    expect(failedAt).toBeGreaterThanOrEqual(before - 1000);
    expect(failedAt).toBeLessThanOrEqual(Date.now());
  });

  it('sends NonRetryableError straight to the DLQ without retries', async () => {
    const source = await topic('kc-dlq-nonretry');
    const dlq = await topic('kc-dlq-custom');
    await produceMessages(brokers(), source, 2);
    const calls: string[] = [];
    const c = consumer({
      topics: [source],
      deadLetter: { topic: dlq },
      handler: async ({ message }) => {
        calls.push(message.offset);
        if (message.offset === '0') throw new NonRetryableError('order is invalid');
      },
    });
    const events = record(c, 'message.retrying', 'message.failed');
    await c.run();
    await waitFor(async () => (await readCommittedOffsets(brokers(), c.options.groupId, source))[0] === '2', {
      message: 'committed',
    });
    expect(calls).toEqual(['0', '1']);
    expect(events['message.retrying']).toHaveLength(0);
    expect(events['message.failed']).toMatchObject([{ offset: '0', attempts: 1, retryable: false }]);
    const [dead] = await consumeAll(brokers(), dlq, 1, { timeoutMs: 15_000 });
    expect(header(dead?.headers ?? {}, DLQ_HEADERS.errorName)).toBe('NonRetryableError');
    expect(header(dead?.headers ?? {}, DLQ_HEADERS.attempts)).toBe('1');
  });

  it('sends a payload the codec cannot decode straight to the DLQ, with 0 handler attempts', async () => {
    const source = await topic('kc-dlq-decode');
    const dlq = `${source}.dlq`;
    cleanupTopic(dlq);
    await produceMessages(brokers(), source, [
      { value: '{"id":1}' },
      { value: '{not json' },
      { value: '{"id":3}' },
    ]);
    const values: unknown[] = [];
    const c = consumer({
      topics: [source],
      codec: jsonCodec,
      handler: async ({ value }) => void values.push(value),
    });
    const events = record(c, 'message.retrying', 'message.dead-lettered');
    await c.run();
    await waitFor(async () => (await readCommittedOffsets(brokers(), c.options.groupId, source))[0] === '3', {
      message: 'committed',
    });
    expect(values).toEqual([{ id: 1 }, { id: 3 }]);
    expect(events['message.retrying']).toHaveLength(0);
    expect(events['message.dead-lettered']).toMatchObject([{ offset: '1', attempts: 0 }]);
    const [dead] = await consumeAll(brokers(), dlq, 1, { timeoutMs: 15_000 });
    expect(text(dead?.value)).toBe('{not json');
    expect(header(dead?.headers ?? {}, DLQ_HEADERS.errorName)).toBe('DecodeError');
    expect(header(dead?.headers ?? {}, DLQ_HEADERS.attempts)).toBe('0');
    // The problem and its position, never the content (Node's own message quotes it).
    expect(header(dead?.headers ?? {}, DLQ_HEADERS.errorMessage)).toBe(
      'Message value is not valid JSON: a property name expected at position 1 (9 characters)',
    );
    expect(header(dead?.headers ?? {}, DLQ_HEADERS.errorStack)).not.toContain('not json');
  });
});
