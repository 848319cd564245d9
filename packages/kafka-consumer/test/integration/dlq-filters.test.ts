import { describe, expect, it } from 'vitest';
import { CLI_EXIT } from '../../src/cli/usage-error.js';
import { deadLetters, kafkakit, origins, recordsIn, specs, wouldWrite } from './cli-support.js';

const day = (d: number) => new Date(Date.UTC(2026, 11, d, 12));
// 12 dead letters: errors alternate A/B/C, failure days 1..12, source partitions 0/1/2.
const mixed = () =>
  deadLetters(
    specs(12, (i) => ({
      error: ['ErrorA', 'ErrorB', 'ErrorC'][i % 3],
      failedAt: day(i + 1),
      sourcePartition: i % 3,
    })),
  );
const range = (from: number, to: number, step = 1) =>
  Array.from({ length: Math.ceil((to - from) / step) }, (_, k) => from + k * step);

describe('kafkakit dlq redrive filters (real broker)', () => {
  it('each filter selects exactly what it says (dry runs, nothing written)', async () => {
    const { source, dlq } = await mixed();
    const dry = async (...flags: string[]) => {
      const run = await kafkakit('dlq', 'redrive', dlq, '--dry-run', ...flags);
      expect(run.code).toBe(CLI_EXIT.done);
      return wouldWrite(run.stdout);
    };
    expect(await dry()).toEqual(range(0, 12));
    expect(await dry('--error', 'ErrorB')).toEqual([1, 4, 7, 10]);
    expect(await dry('--error', 'ErrorA', '--error', 'ErrorC')).toEqual([0, 2, 3, 5, 6, 8, 9, 11]);
    // since inclusive, until exclusive: days 3..6 are offsets 2..5
    expect(await dry('--since', '2026-12-03T12:00:00Z', '--until', '2026-12-07T12:00:00Z')).toEqual([
      2, 3, 4, 5,
    ]);
    expect(await dry('--since', '2026-12-10')).toEqual([9, 10, 11]);
    expect(await dry('--source-partition', '2')).toEqual([2, 5, 8, 11]);
    expect(await dry('--error', 'ErrorA', '--source-partition', '0', '--until', '2026-12-08')).toEqual([
      0, 3, 6,
    ]);
    expect(await dry('--limit', '5')).toEqual([0, 1, 2, 3, 4]);
    expect(await recordsIn(source)).toHaveLength(0);
  });

  it('a filtered run writes exactly its selection; another selection keeps its own progress', async () => {
    const { source, dlq } = await mixed();
    expect((await kafkakit('dlq', 'redrive', dlq, '--error', 'ErrorB')).code).toBe(CLI_EXIT.done);
    expect(origins(await recordsIn(source))).toEqual([1, 4, 7, 10].map((o) => `${dlq}/0/${o}`).sort());
    // --limit is a budget, not a selection: two runs of 2 and one of the rest take the same group
    expect((await kafkakit('dlq', 'redrive', dlq, '--error', 'ErrorC', '--limit', '2')).code).toBe(
      CLI_EXIT.done,
    );
    expect((await kafkakit('dlq', 'redrive', dlq, '--error', 'ErrorC', '--limit', '2')).code).toBe(
      CLI_EXIT.done,
    );
    const all = origins(await recordsIn(source));
    expect(all).toEqual([1, 2, 4, 5, 7, 8, 10, 11].map((o) => `${dlq}/0/${o}`).sort());
  });
});
