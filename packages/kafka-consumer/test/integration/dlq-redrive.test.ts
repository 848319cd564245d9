import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { produceMessages, readEndOffsets, waitFor } from '@kafkakit/kafka-testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { createKafka } from '../../src/cli/kafka.js';
import { readRanges } from '../../src/cli/read-range.js';
import { encodeIntent } from '../../src/cli/redrive-intent.js';
import { progressGroup } from '../../src/cli/redrive-selection.js';
import { CLI_EXIT } from '../../src/cli/usage-error.js';
import { childOutput } from './child-output.js';
import { deadLetters, kafkakit, origins, recordsIn, specs } from './cli-support.js';
import { brokers, topic } from './support.js';

const main = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

const total = async (t: string) =>
  Object.values(await readEndOffsets(brokers(), t)).reduce((n, end) => n + Number(end), 0);

describe('kafkakit dlq redrive (real broker)', () => {
  it('writes each record back to its source partition with its key, value, headers and the redrive headers', async () => {
    const { source, dlq } = await deadLetters(specs(6, (i) => ({ sourcePartition: i % 3 })));
    const run = await kafkakit('dlq', 'redrive', dlq);
    expect(run.stderr.split('\n').filter((l) => l.startsWith('kafkakit:'))).toEqual([]);
    expect(run.code).toBe(CLI_EXIT.done);
    const records = await recordsIn(source);
    expect(records).toHaveLength(6);
    for (const r of records) {
      const i = Number(String(r.key).slice(1));
      expect(r.partition).toBe(i % 3);
      expect(String(r.value)).toBe(`v${i}`);
      expect(String(r.headers['trace-id'])).toBe(`t${i}`);
      expect(String(r.headers['x-redrive-count'])).toBe('1');
      expect(String(r.headers['x-redrive-origin'])).toBe(`${dlq}/0/${i}`);
      expect(Number.isNaN(Date.parse(String(r.headers['x-redrive-at'])))).toBe(false);
      expect(Object.keys(r.headers).filter((h) => h.startsWith('x-dlq-'))).toEqual([]);
    }
  });

  it('run twice writes once: the second run finds its progress and writes nothing', async () => {
    const { source, dlq } = await deadLetters(specs(20), { dlqPartitions: 2 });
    expect((await kafkakit('dlq', 'redrive', dlq)).code).toBe(CLI_EXIT.done);
    expect(await total(source)).toBe(20);
    const again = await kafkakit('dlq', 'redrive', dlq);
    expect(again.code).toBe(CLI_EXIT.done);
    expect(again.stdout).toMatch(/│ written\s+│ 0 /);
    expect(await total(source)).toBe(20);
    expect(new Set(origins(await recordsIn(source))).size).toBe(20);
  });

  it('killed by SIGKILL halfway, the resumed run writes each record exactly once', async () => {
    const { source, dlq } = await deadLetters(specs(300));
    const child = spawn(process.execPath, ['--import', 'tsx', main, 'dlq', 'redrive', dlq, '--rate', '100'], {
      cwd: repoRoot,
      env: { ...process.env, KAFKA_BROKERS: brokers().join(',') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    childOutput(child);
    const exited = new Promise((resolve) => child.on('exit', resolve));
    await waitFor(async () => (await total(source)) >= 110, {
      timeoutMs: 30_000,
      message: '110 records redriven',
    });
    child.kill('SIGKILL');
    await exited;
    const before = await total(source);
    expect(before).toBeGreaterThanOrEqual(110);
    expect(before).toBeLessThan(300); // the precondition: killed halfway
    const resumed = await kafkakit('dlq', 'redrive', dlq);
    expect(resumed.stderr).not.toMatch(/kafkakit: error/);
    expect(resumed.code).toBe(CLI_EXIT.done);
    const all = origins(await recordsIn(source));
    expect(all).toHaveLength(300);
    expect(new Set(all).size).toBe(300);
    const written = Number(/│ written\s+│ (\d+)/.exec(resumed.stdout)?.[1]);
    const already = Number(/│ already written \(resumed run\)\s+│ (\d+)/.exec(resumed.stdout)?.[1]);
    expect(written).toBe(300 - before);
    // The kill lands inside a chunk: its acknowledged but uncommitted writes are found, not repeated.
    expect(written + already).toBeGreaterThanOrEqual(300 - before);
  });

  it('SIGINT stops after the records in hand are committed (exit 1, summary says interrupted); the next run goes on', async () => {
    const { source, dlq } = await deadLetters(specs(200));
    const child = spawn(process.execPath, ['--import', 'tsx', main, 'dlq', 'redrive', dlq, '--rate', '50'], {
      cwd: repoRoot,
      env: { ...process.env, KAFKA_BROKERS: brokers().join(',') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    const output = childOutput(child);
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await waitFor(async () => (await total(source)) >= 20, {
      timeoutMs: 30_000,
      message: '20 records redriven',
    });
    child.kill('SIGINT');
    expect(await exited).toBe(CLI_EXIT.error);
    expect(output.lines.join('\n')).toMatch(/interrupted: run the same command again to resume/);
    const before = await total(source);
    expect(before).toBeLessThan(200);
    const resumed = await kafkakit('dlq', 'redrive', dlq);
    expect(resumed.code).toBe(CLI_EXIT.done);
    expect(resumed.stdout).toMatch(/│ already written \(resumed run\)\s+│ 0 /); // a clean stop leaves no doubt
    const all = origins(await recordsIn(source));
    expect(new Set(all).size).toBe(200);
    expect(all).toHaveLength(200);
  });

  it('--rate 200 over 1,000 records takes 5 s +/- 20%', async () => {
    const { source, dlq } = await deadLetters(specs(1000));
    const run = await kafkakit('dlq', 'redrive', dlq, '--rate', '200');
    expect(run.code).toBe(CLI_EXIT.done);
    const seconds = Number(/1000 written in ([\d.]+) s/.exec(run.stdout)?.[1]);
    expect(seconds).toBeGreaterThanOrEqual(4);
    expect(seconds).toBeLessThanOrEqual(6);
    expect(run.ms).toBeLessThan(6000 + 5000); // setup (connect, join) stays small beside it
    expect(await total(source)).toBe(1000);
  });

  it('skips and counts records redriven --max-redrives times already (exit 3)', async () => {
    const { source, dlq } = await deadLetters(specs(5, (i) => ({ redriveCount: i })));
    const run = await kafkakit('dlq', 'redrive', dlq, '--max-redrives', '3');
    expect(run.code).toBe(CLI_EXIT.skipped);
    expect(run.stdout).toMatch(/skipped: redriven 3 times already\s+│ 2 /);
    const records = await recordsIn(source);
    expect(records.map((r) => String(r.headers['x-redrive-count'])).sort()).toEqual(['1', '2', '3']);
  });

  it('--to writes to another topic; --to the DLQ itself or a retry tier is refused before anything', async () => {
    const { dlq } = await deadLetters(specs(4));
    const other = await topic('kc-cli-other', 2);
    expect((await kafkakit('dlq', 'redrive', dlq, '--to', other)).code).toBe(CLI_EXIT.done);
    expect(await total(other)).toBe(4);
    const self = await kafkakit('dlq', 'redrive', dlq, '--to', dlq);
    expect(self.code).toBe(CLI_EXIT.usage);
    expect(self.stderr).toBe(`kafkakit: --to refused: "${dlq}" is the dead-letter topic being redriven\n`);
    const tier = await kafkakit('dlq', 'redrive', dlq, '--to', 'orders.placed.billing.retry.10s');
    expect(tier.code).toBe(CLI_EXIT.usage);
    expect(tier.stderr).toMatch(/is a retry-tier topic\n$/);
  });
});

describe('kafkakit dlq redrive resume after acknowledged but uncommitted writes (state made by hand)', () => {
  /** The state a run leaves when killed after 5 acknowledged writes of a 10-record chunk, before its commit. */
  async function killedMidChunk(written: number[]) {
    const { source, dlq } = await deadLetters(
      specs(10, () => ({ sourcePartition: 0 })),
      { sourcePartitions: 1 },
    );
    const group = progressGroup(dlq, {
      to: undefined,
      errors: [],
      since: undefined,
      until: undefined,
      sourcePartitions: [],
    });
    const kafka = createKafka({ brokers: brokers(), clientId: 'kc-test', ssl: undefined, sasl: undefined });
    const note = encodeIntent({ last: 9n, ends: [[source, 0, '0']] });
    await readRanges(
      kafka,
      dlq,
      [{ partition: 0, from: 0n, to: 1n }],
      async (batch) => {
        await batch.commit(0n, note);
        return false;
      },
      { groupId: group },
    );
    await produceMessages(
      brokers(),
      source,
      written.map((i) => ({
        key: `k${i}`,
        value: `v${i}`,
        partition: 0,
        headers: { 'x-redrive-origin': `${dlq}/0/${i}` },
      })),
    );
    return { source, dlq };
  }

  it('finds the 5 written records through the write-ahead note and writes only the other 5', async () => {
    const { source, dlq } = await killedMidChunk([0, 1, 2, 3, 4]);
    const run = await kafkakit('dlq', 'redrive', dlq);
    expect(run.code).toBe(CLI_EXIT.done);
    expect(run.stdout).toMatch(/│ already written \(resumed run\)\s+│ 5 /);
    const all = origins(await recordsIn(source));
    expect(all).toEqual(
      specs(10)
        .map((_, i) => `${dlq}/0/${i}`)
        .sort(),
    );
  });

  it('a resumed run stopped again inside the in-doubt range keeps the note, so a third run still writes nothing twice', async () => {
    // Any subset of the chunk may be in the target: here its second half.
    const { source, dlq } = await killedMidChunk([5, 6, 7, 8, 9]);
    expect((await kafkakit('dlq', 'redrive', dlq, '--limit', '2')).code).toBe(CLI_EXIT.done);
    expect(await total(source)).toBe(7);
    const third = await kafkakit('dlq', 'redrive', dlq);
    expect(third.code).toBe(CLI_EXIT.done);
    const all = origins(await recordsIn(source));
    expect(all).toEqual(
      specs(10)
        .map((_, i) => `${dlq}/0/${i}`)
        .sort(),
    );
  });
});
