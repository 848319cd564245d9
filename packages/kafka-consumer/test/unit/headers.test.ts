import { describe, expect, it } from 'vitest';
import {
  buildDeadLetterHeaders,
  DLQ_HEADERS,
  DLQ_STACK_LIMIT,
  deadLetterTopicFor,
  NonRetryableError,
} from '../../src/index.js';

const facts = {
  topic: 'orders.placed',
  partition: 3,
  offset: '42',
  timestamp: '1700000000000',
  groupId: 'order-processor',
  error: new TypeError('boom'),
  attempts: 4,
  failedAt: new Date('2026-01-02T03:04:05.000Z'),
};

describe('dead-letter headers', () => {
  it('exports stable x-dlq-* names', () => {
    expect(DLQ_HEADERS).toEqual({
      sourceTopic: 'x-dlq-source-topic',
      sourcePartition: 'x-dlq-source-partition',
      sourceOffset: 'x-dlq-source-offset',
      sourceTimestamp: 'x-dlq-source-timestamp',
      consumerGroup: 'x-dlq-consumer-group',
      errorName: 'x-dlq-error-name',
      errorCode: 'x-dlq-error-code',
      errorMessage: 'x-dlq-error-message',
      errorStack: 'x-dlq-error-stack',
      attempts: 'x-dlq-attempts',
      failedAt: 'x-dlq-failed-at',
      id: 'x-dlq-id',
      retryTiers: 'x-dlq-retry-tiers',
    });
  });

  it('keeps the original headers and adds every DLQ header', () => {
    const original = { 'trace-id': Buffer.from('t-1'), multi: ['a', 'b'] };
    const headers = buildDeadLetterHeaders(original, facts);
    expect(headers['trace-id']).toBe(original['trace-id']);
    expect(headers.multi).toEqual(['a', 'b']);
    expect(headers).toMatchObject({
      'x-dlq-source-topic': 'orders.placed',
      'x-dlq-source-partition': '3',
      'x-dlq-source-offset': '42',
      'x-dlq-source-timestamp': '1700000000000',
      'x-dlq-consumer-group': 'order-processor',
      'x-dlq-error-name': 'TypeError',
      'x-dlq-error-message': 'boom',
      'x-dlq-attempts': '4',
      'x-dlq-failed-at': '2026-01-02T03:04:05.000Z',
      'x-dlq-id': 'order-processor/orders.placed/3/42',
    });
    expect(String(headers['x-dlq-error-stack'])).toContain('TypeError: boom');
    expect(original).not.toHaveProperty('x-dlq-source-topic');
  });

  it('truncates long stacks and messages', () => {
    const error = new Error('m'.repeat(5000));
    error.stack = 's'.repeat(10_000);
    const headers = buildDeadLetterHeaders(undefined, { ...facts, error });
    expect(String(headers[DLQ_HEADERS.errorStack])).toHaveLength(DLQ_STACK_LIMIT);
    expect(String(headers[DLQ_HEADERS.errorStack]).endsWith('...')).toBe(true);
    expect(String(headers[DLQ_HEADERS.errorMessage]).length).toBeLessThanOrEqual(1000);
  });

  it('carries the error code when the error has one, and no stale code when it has none', () => {
    const coded = buildDeadLetterHeaders(undefined, { ...facts, error: new NonRetryableError('bad') });
    expect(coded[DLQ_HEADERS.errorCode]).toBe('NON_RETRYABLE');
    const plain = buildDeadLetterHeaders({ [DLQ_HEADERS.errorCode]: 'OLD' }, facts);
    expect(plain).not.toHaveProperty(DLQ_HEADERS.errorCode);
  });

  it('derives the topic from the source unless one is configured', () => {
    expect(deadLetterTopicFor('orders.placed', undefined)).toBe('orders.placed.dlq');
    expect(deadLetterTopicFor('orders.placed', 'all.dlq')).toBe('all.dlq');
  });
});
