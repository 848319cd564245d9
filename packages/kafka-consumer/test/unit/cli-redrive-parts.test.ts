import { describe, expect, it } from 'vitest';
import { deadLetterFacts, type TopicRecord } from '../../src/cli/dead-letter-record.js';
import { InspectTotals } from '../../src/cli/inspect-totals.js';
import { Pacer } from '../../src/cli/pacer.js';
import { parseOrigin, redriveHeaders } from '../../src/cli/redrive-headers.js';
import {
  decodeIntent,
  encodeIntent,
  INTENT_MAX_BYTES,
  noteEntryBytes,
} from '../../src/cli/redrive-intent.js';
import { refusedTarget, selects } from '../../src/cli/redrive-selection.js';
import { renderBytes } from '../../src/cli/render-bytes.js';
import { buildDeadLetterHeaders, NonRetryableError } from '../../src/index.js';

const record = (
  offset: number,
  over: Partial<Parameters<typeof buildDeadLetterHeaders>[1]> = {},
): TopicRecord => ({
  partition: 0,
  offset: String(offset),
  timestamp: '1700000000000',
  key: Buffer.from(`k${offset}`),
  value: Buffer.from(`v${offset}`),
  headers: buildDeadLetterHeaders(
    { 'trace-id': Buffer.from('t'), 'x-redrive-count': '1' },
    {
      topic: 'orders.placed',
      partition: 2,
      offset: String(offset),
      timestamp: '0',
      groupId: 'billing',
      error: new TypeError('boom'),
      attempts: 3,
      failedAt: new Date('2026-12-04T10:00:00Z'),
      ...over,
    },
  ),
});

describe('kafkakit redrive parts', () => {
  it('reads the facts the runtime wrote', () => {
    const facts = deadLetterFacts(record(7, { error: new NonRetryableError('no') }));
    expect(facts).toMatchObject({
      sourceTopic: 'orders.placed',
      sourcePartition: 2,
      errorName: 'NonRetryableError',
      errorCode: 'NON_RETRYABLE',
      attempts: 3,
      redriveCount: 1,
    });
    expect(facts.failedAt.toISOString()).toBe('2026-12-04T10:00:00.000Z');
  });

  it('redrive headers keep the original headers, drop x-dlq-*, and count up', () => {
    const r = record(7);
    const headers = redriveHeaders('orders.placed.dlq', r, 1, new Date('2026-12-05T00:00:00Z'));
    expect(headers).toEqual({
      'trace-id': Buffer.from('t'),
      'x-redrive-count': '2',
      'x-redrive-at': '2026-12-05T00:00:00.000Z',
      'x-redrive-origin': 'orders.placed.dlq/0/7',
    });
    expect(parseOrigin('orders.placed.dlq/0/7')).toEqual({
      topic: 'orders.placed.dlq',
      partition: 0,
      offset: '7',
    });
    expect(parseOrigin('nonsense')).toBeUndefined();
  });

  it('the write-ahead note round-trips and anything else is no note', () => {
    const note = encodeIntent({ last: 41n, ends: [['orders.placed', 2, '100']] });
    expect(decodeIntent(note)).toEqual({ last: 41n, ends: [['orders.placed', 2, '100']] });
    expect(decodeIntent(null)).toBeUndefined();
    expect(decodeIntent('some other tool')).toBeUndefined();
    expect(decodeIntent('kafkakit-redrive/1 {broken')).toBeUndefined();
  });

  it('selection: since inclusive, until exclusive; errors and source partitions are any-of', () => {
    const facts = deadLetterFacts(record(1));
    const base = { to: undefined, errors: [], since: undefined, until: undefined, sourcePartitions: [] };
    expect(selects(base, facts)).toBe(true);
    expect(selects({ ...base, since: new Date('2026-12-04T10:00:00Z') }, facts)).toBe(true);
    expect(selects({ ...base, until: new Date('2026-12-04T10:00:00Z') }, facts)).toBe(false);
    expect(selects({ ...base, errors: ['RangeError', 'TypeError'] }, facts)).toBe(true);
    expect(selects({ ...base, sourcePartitions: [0, 1] }, facts)).toBe(false);
  });

  it('refuses the DLQ itself and retry tiers as targets', () => {
    expect(refusedTarget('o.dlq', 'o.dlq')).toMatch(/dead-letter topic being redriven/);
    expect(refusedTarget('orders.placed.billing.retry.10s', 'o.dlq')).toMatch(/retry-tier topic/);
    expect(refusedTarget('orders.placed', 'o.dlq')).toBeUndefined();
  });

  it('inspect totals group by source, error name and code, and partition', () => {
    const totals = new InspectTotals('o.dlq');
    totals.add(record(0, { failedAt: new Date('2026-12-01T00:00:00Z') }));
    totals.add(record(1, { failedAt: new Date('2026-12-03T00:00:00Z'), error: new NonRetryableError('x') }));
    totals.add(record(2, { failedAt: new Date('2026-12-02T00:00:00Z') }));
    const report = totals.report();
    expect(report.records).toBe(3);
    expect(report.byError.map((e) => [e.errorName, e.errorCode, e.count])).toEqual([
      ['TypeError', null, 2],
      ['NonRetryableError', 'NON_RETRYABLE', 1],
    ]);
    expect(report.bySourceTopic[0]).toMatchObject({
      sourceTopic: 'orders.placed',
      firstFailure: '2026-12-01T00:00:00.000Z',
      lastFailure: '2026-12-03T00:00:00.000Z',
    });
    expect(report.byPartition[0]).toMatchObject({ partition: 0, firstOffset: '0', lastOffset: '2' });
  });

  it('renders bytes as quoted text, hex when binary, cut unless full', () => {
    expect(renderBytes(Buffer.from('héllo\n'), 100)).toBe('"héllo\\n"');
    expect(renderBytes(Buffer.from([0xff, 0xfe, 0x00]), 100)).toBe('hex fffe00');
    expect(renderBytes(Buffer.from('\u001b[2J'), 100)).toBe('hex 1b5b324a');
    expect(renderBytes(null, 10)).toBe('(null)');
    expect(renderBytes('x'.repeat(20), 5)).toBe('"xxxxx"... (20 chars, --full shows all)');
    expect(renderBytes('x'.repeat(20), undefined)).toBe(JSON.stringify('x'.repeat(20)));
  });

  it('the pacer spaces groups of writes by count / rate', async () => {
    const pacer = new Pacer(100);
    const start = performance.now();
    await pacer.next(5);
    await pacer.next(5);
    await pacer.next(5);
    // the third group is due 10 writes after the first: 100 ms
    expect(performance.now() - start).toBeGreaterThanOrEqual(95);
    const free = new Pacer(undefined);
    const t = performance.now();
    for (let i = 0; i < 1000; i++) await free.next(1);
    expect(performance.now() - t).toBeLessThan(100);
  });
});

describe('the write-ahead note size', () => {
  it('stays under the broker default offset.metadata.max.bytes (4096) at its largest', () => {
    const long = 't'.repeat(249);
    const ends: Array<[string, number, string]> = [];
    let bytes = 0;
    for (let p = 0; bytes < INTENT_MAX_BYTES; p++) {
      ends.push([long, p, '9223372036854775807']);
      bytes += noteEntryBytes(long);
    }
    expect(Buffer.byteLength(encodeIntent({ last: 9223372036854775807n, ends }))).toBeLessThan(4096);
  });
});
