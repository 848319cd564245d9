import { produceMessages } from '@kafkakit/kafka-testkit';
import { describe, expect, it } from 'vitest';
import type { InspectReport } from '../../src/cli/inspect-totals.js';
import { CLI_EXIT } from '../../src/cli/usage-error.js';
import { deadLetters, kafkakit, specs } from './cli-support.js';
import { brokers, topic } from './support.js';

describe('kafkakit dlq inspect and show (real broker)', () => {
  it('inspect --json totals by source topic, error name and code, and partition', async () => {
    const { source, dlq } = await deadLetters(
      specs(6, (i) => ({
        error: i < 4 ? 'PaymentError' : 'TypeError',
        failedAt: new Date(Date.UTC(2026, 11, 1, i)),
      })),
      { dlqPartitions: 2 },
    );
    const run = await kafkakit('dlq', 'inspect', dlq, '--json');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(CLI_EXIT.done);
    const report = JSON.parse(run.stdout) as InspectReport;
    expect(report.records).toBe(6);
    expect(report.bySourceTopic).toEqual([
      {
        sourceTopic: source,
        count: 6,
        firstFailure: '2026-12-01T00:00:00.000Z',
        lastFailure: '2026-12-01T05:00:00.000Z',
      },
    ]);
    expect(report.byError.map((e) => [e.errorName, e.errorCode, e.count])).toEqual([
      ['PaymentError', null, 4],
      ['TypeError', null, 2],
    ]);
    expect(report.byPartition.map((p) => [p.partition, p.count, p.firstOffset, p.lastOffset])).toEqual([
      [0, 3, '0', '2'],
      [1, 3, '0', '2'],
    ]);
    const text = await kafkakit('dlq', 'inspect', dlq);
    expect(text.stdout).toContain(`${dlq}: 6 dead letters`);
    expect(text.stdout).toMatch(/│ PaymentError\s+│ -\s+│ 4 /);
  });

  it('show decodes headers, shows binary values as hex, truncates unless --full', async () => {
    const long = 'x'.repeat(500);
    const { dlq } = await deadLetters([{ value: long }, { key: 'k1', value: '\u0000\u0001binary' }]);
    const run = await kafkakit('dlq', 'show', dlq);
    expect(run.code).toBe(CLI_EXIT.done);
    expect(run.stdout).toContain(`${dlq}[0]@0`);
    expect(run.stdout).toContain('x-dlq-error-name: "Error"');
    expect(run.stdout).toContain('... (500 chars, --full shows all)');
    expect(run.stdout).toContain('value: hex 0001');
    expect(run.stdout).toContain('2 record(s) shown');
    expect((await kafkakit('dlq', 'show', dlq, '--full', '--limit', '1')).stdout).toContain(
      JSON.stringify(long),
    );
    const second = await kafkakit('dlq', 'show', dlq, '--offset', '0:1');
    expect(second.stdout).not.toContain(`${dlq}[0]@0`);
    expect(second.stdout).toContain(`${dlq}[0]@1`);
  });
});

describe('kafkakit hostile input: one line on stderr, exit 2, nothing written', () => {
  it('an unknown topic', async () => {
    for (const sub of ['inspect', 'show', 'redrive']) {
      const run = await kafkakit('dlq', sub, 'no-such-topic.dlq');
      expect(run).toMatchObject({ code: CLI_EXIT.usage, stdout: '' });
      expect(run.stderr).toBe(
        'kafkakit: dead-letter topic "no-such-topic.dlq" does not exist on this cluster (or this principal may not DESCRIBE it)\n',
      );
    }
  });

  it('a topic that is not one of our DLQs (no x-dlq-* headers)', async () => {
    const plain = await topic('kc-cli-plain');
    await produceMessages(brokers(), plain, 3);
    for (const sub of ['inspect', 'show', 'redrive']) {
      const run = await kafkakit('dlq', sub, plain);
      expect(run.code).toBe(CLI_EXIT.usage);
      expect(run.stderr.split('\n').filter((l) => l.startsWith('kafkakit:'))).toEqual([
        `kafkakit: "${plain}" is not a kafkakit dead-letter topic: record 0@0 carries no x-dlq-* headers`,
      ]);
    }
    const end = await kafkakit('dlq', 'redrive', plain, '--to', plain);
    expect(end.code).toBe(CLI_EXIT.usage);
  });
});
