import { describe, expect, it } from 'vitest';
import { coordinatorLoss } from '../../src/client/errors.js';
import { CoordinatorSearch } from '../../src/client/kafkajs-patches/coordinator-search.js';

interface FakeBroker {
  nodeId: number;
}

/** A search over a fake cluster: `answers` are what each attempt does (a broker, or an error). */
function fakeSearch(answers: Array<FakeBroker | Error>, deadlineMs = 30_000, active?: () => boolean) {
  let clock = 0;
  const attempts: number[] = [];
  const found: Array<{ to: number; tookMs: number; attempts: number }> = [];
  const search = new CoordinatorSearch<FakeBroker>({
    locate: async () => {
      attempts.push(clock);
      const answer = answers.shift() ?? new Error('still no coordinator');
      if (answer instanceof Error) throw answer;
      return answer;
    },
    intervalMs: 250,
    deadlineMs,
    sleep: async (ms) => {
      clock += ms;
    },
    now: () => clock,
    ...(active === undefined ? {} : { active }),
    onFound: (_from, to, tookMs, n) => found.push({ to: to.nodeId, tookMs, attempts: n }),
  });
  return { search, attempts, found };
}

const dead = { nodeId: 1 };
const successor = { nodeId: 2 };
const refused = Object.assign(new Error('connect ECONNREFUSED'), { name: 'KafkaJSConnectionError' });

describe('coordinator search', () => {
  it('looks for the successor until one answers, meanwhile the lost one stays current', async () => {
    const { search, attempts, found } = fakeSearch([refused, refused, refused, successor]);
    search.lost(dead, refused);
    expect(search.searching(dead)).toBe(true);
    expect(search.current(dead)).toBe(dead);
    expect(await search.settle(dead)).toBe(successor);
    expect(search.searching(dead)).toBe(false);
    expect(search.current(dead)).toBe(successor);
    expect(attempts).toEqual([0, 250, 500, 750]);
    expect(found).toEqual([{ to: 2, tookMs: 750, attempts: 4 }]);
  });

  it('runs one search for every caller that meets the same lost coordinator', async () => {
    const { search, attempts } = fakeSearch([refused, successor]);
    search.lost(dead, refused);
    search.lost(dead, refused);
    const [a, b] = await Promise.all([search.settle(dead), search.settle(dead)]);
    expect([a, b]).toEqual([successor, successor]);
    expect(attempts).toHaveLength(2);
  });

  it('leaves a coordinator it was not asked about alone', async () => {
    const { search } = fakeSearch([successor]);
    search.lost(dead, refused);
    const other = { nodeId: 3 };
    expect(search.searching(other)).toBe(false);
    expect(await search.settle(other)).toBe(other);
  });

  it('searches again when the successor is lost in turn', async () => {
    const third = { nodeId: 3 };
    const { search } = fakeSearch([successor, third]);
    search.lost(dead, refused);
    expect(await search.settle(dead)).toBe(successor);
    search.lost(successor, new Error('not the coordinator'));
    expect(await search.settle(successor)).toBe(third);
  });

  it('gives up at the deadline with one retriable error that is not itself a coordinator loss', async () => {
    const { search, attempts } = fakeSearch([], 1000);
    search.lost(dead, refused);
    const error = await search.settle(dead).then(
      () => undefined,
      (e: unknown) => e as Error & { retriable?: boolean },
    );
    expect(attempts).toEqual([0, 250, 500, 750, 1000]);
    expect(error?.name).toBe('KafkaJSGroupCoordinatorNotFound');
    expect(error?.message).toMatch(/No successor of the lost group coordinator found in 1000 ms/);
    expect(error?.retriable).toBe(true);
    expect(coordinatorLoss(error)).toBeUndefined();
    // Thrown once; then the caller's own path (KafkaJS's re-join) takes over with the cached one.
    expect(search.current(dead)).toBe(dead);
  });
});

describe('coordinator search after the consumer stopped', () => {
  it('ends at its next attempt instead of polling on for the rest of its deadline', async () => {
    let running = true;
    const { search, attempts } = fakeSearch([], 30_000, () => running);
    search.lost(dead, refused);
    running = false;
    await expect(search.settle(dead)).rejects.toThrow(/No successor of the lost group coordinator/);
    expect(attempts).toEqual([0]);
  });
});

describe('coordinatorLoss', () => {
  it('tells a moved coordinator, an unreachable one and anything else apart', () => {
    expect(coordinatorLoss({ type: 'NOT_COORDINATOR_FOR_GROUP' })).toBe('moved');
    expect(coordinatorLoss({ type: 'COORDINATOR_NOT_AVAILABLE' })).toBe('moved');
    expect(coordinatorLoss(refused)).toBe('unreachable');
    expect(coordinatorLoss({ name: 'KafkaJSNumberOfRetriesExceeded', originalError: refused })).toBe(
      'unreachable',
    );
    expect(coordinatorLoss({ type: 'REBALANCE_IN_PROGRESS' })).toBeUndefined();
    expect(coordinatorLoss({ type: 'ILLEGAL_GENERATION' })).toBeUndefined();
    expect(coordinatorLoss({ name: 'KafkaJSRequestTimeoutError' })).toBeUndefined();
    expect(coordinatorLoss(new Error('handler failed'))).toBeUndefined();
  });
});
