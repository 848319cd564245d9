import { produceMessages, readCommittedOffsets, waitFor } from '@kafkakit/kafka-testkit';
import { describe, expect, it } from 'vitest';
import type { CommitOption } from '../../src/index.js';
import { brokers, consumer, record, topic } from './support.js';

/** A handler that blocks on one offset until released. */
function gate(blockAt: number) {
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const calls: number[] = [];
  let blocked = false;
  const handler = async ({ message }: { message: { offset: string } }) => {
    const offset = Number(message.offset);
    calls.push(offset);
    if (offset === blockAt) {
      blocked = true;
      await released;
    }
  };
  return { handler, release, calls, isBlocked: () => blocked };
}

async function committed(groupId: string, source: string): Promise<string | undefined> {
  return (await readCommittedOffsets(brokers(), groupId, source))[0];
}

async function start(commit: CommitOption, blockAt: number) {
  const source = await topic('kc-commit');
  await produceMessages(brokers(), source, 10);
  const g = gate(blockAt);
  const c = consumer({ topics: [source], commit, handler: g.handler });
  const events = record(c, 'offsets.committed');
  await c.run();
  await waitFor(g.isBlocked, { timeoutMs: 20_000, message: `handler reached offset ${blockAt}` });
  return { source, g, c, events, groupId: c.options.groupId };
}

describe('commit strategies', () => {
  it('per-message with maxUncommitted 1 commits each message before the next handler starts', async () => {
    const { source, g, events, groupId } = await start({ strategy: 'per-message', maxUncommitted: 1 }, 4);
    // Offsets 0..3 finished and were committed one by one while offset 4 is still running.
    expect(await committed(groupId, source)).toBe('4');
    expect(events['offsets.committed'].map((e) => e.offsets[0]?.offset)).toEqual(['1', '2', '3', '4']);
    expect(events['offsets.committed'].every((e) => e.reason === 'message')).toBe(true);
    g.release();
    await waitFor(async () => (await committed(groupId, source)) === '10', { message: 'all committed' });
  });

  it('per-message coalesces: one commit in flight, the next carries the latest offset, never reordered', async () => {
    const { source, g, events, groupId } = await start('per-message', 4);
    // Offsets 0..3 finished while 4 runs: the pipeline gets them committed without waiting per message.
    await waitFor(async () => (await committed(groupId, source)) === '4', { message: 'committed up to 4' });
    const sent = events['offsets.committed'].map((e) => Number(e.offsets[0]?.offset));
    expect(sent.at(-1)).toBe(4);
    expect(sent.length).toBeLessThanOrEqual(4);
    expect([...sent].sort((a, b) => a - b)).toEqual(sent);
    g.release();
    await waitFor(async () => (await committed(groupId, source)) === '10', { message: 'all committed' });
  });

  it('per-batch commits only at the batch boundary', async () => {
    const { source, g, events, groupId } = await start('per-batch', 4);
    // Precondition (start): offsets 0..3 finished and 4 runs. The 10 messages came as one batch:
    // nothing is committed while it is in progress.
    expect(await committed(groupId, source)).toBe('-1');
    expect(events['offsets.committed']).toHaveLength(0);
    g.release();
    await waitFor(async () => (await committed(groupId, source)) === '10', { message: 'batch committed' });
    expect(events['offsets.committed'].map((e) => e.reason)).toContain('batch');
    // A commit during the batch would show up as an earlier event (offset 4): the only one is the end.
    expect(events['offsets.committed'].map((e) => Number(e.offsets[0]?.offset))).toEqual([10]);
  });

  it('interval commits finished offsets every intervalMs, even in the middle of a batch', async () => {
    const { source, g, events, groupId } = await start({ strategy: 'interval', intervalMs: 200 }, 4);
    await waitFor(async () => (await committed(groupId, source)) === '4', {
      timeoutMs: 5000,
      message: 'interval commit',
    });
    expect(events['offsets.committed'][0]?.reason).toBe('interval');
    g.release();
    await waitFor(async () => (await committed(groupId, source)) === '10', { message: 'all committed' });
  });

  for (const commit of ['per-message', 'per-batch', { strategy: 'interval', intervalMs: 60_000 }] as const) {
    const name = typeof commit === 'string' ? commit : 'interval';
    it(`${name} commits finished offsets on shutdown`, async () => {
      const source = await topic('kc-commit-stop');
      await produceMessages(brokers(), source, 5);
      const seen: string[] = [];
      const c = consumer({
        topics: [source],
        commit,
        handler: ({ message }) => void seen.push(message.offset),
      });
      const events = record(c, 'offsets.committed');
      await c.run();
      await waitFor(() => seen.length === 5, { message: 'consumed' });
      const report = await c.disconnect();
      expect(report.drained).toBe(true);
      expect(await committed(c.options.groupId, source)).toBe('5');
      if (name === 'interval') expect(events['offsets.committed'].map((e) => e.reason)).toEqual(['shutdown']);
      expect(seen.map(Number)).toEqual([0, 1, 2, 3, 4]);
    });
  }
});
