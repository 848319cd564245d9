import { describe, expect, it } from 'vitest';
import {
  check,
  commitRegressions,
  duplicateCounts,
  lostIds,
  redeliveredInFlight,
  shareDuplicates,
} from '../../src/checker.js';
import { callsAfterRevoke, keyViolations, orderViolations } from '../../src/order-checks.js';
import type { AckedMessage, HandlerEntry, LedgerEntry } from '../../src/types.js';

const T = 'src';
const acked = (id: string, p: number, o: number): AckedMessage => ({
  id,
  topic: T,
  partition: p,
  offset: String(o),
});
const h = (ev: 'call' | 'done', pid: number, p: number, o: number, a = 1): HandlerEntry => ({
  ev,
  t: T,
  p,
  o: String(o),
  id: `${p}:${o}`,
  a,
  pid,
  ts: 0,
});
const both = (pid: number, p: number, o: number): LedgerEntry[] => [
  h('call', pid, p, o),
  h('done', pid, p, o),
];
const assigned = (pid: number, ...parts: number[]): LedgerEntry => ({
  ev: 'assigned',
  pid,
  ts: 0,
  parts: parts.map((p) => ({ t: T, p })),
});
const commit = (pid: number, p: number, o: number): LedgerEntry => ({
  ev: 'commit',
  pid,
  ts: 0,
  offsets: [{ t: T, p, o: String(o) }],
});

describe('lostIds', () => {
  it('counts acknowledged messages neither completed nor dead-lettered', () => {
    const ledger = [...both(1, 0, 0), h('call', 1, 0, 1)];
    const lost = lostIds([acked('0:0', 0, 0), acked('0:1', 0, 1), acked('0:2', 0, 2)], ledger, [
      { id: '0:2', sourcePartition: 0, sourceOffset: '2' },
    ]);
    expect(lost).toEqual(['0:1']);
  });
});

describe('duplicateCounts', () => {
  it('a redelivery of an uncommitted completion is inside the window', () => {
    const ledger = [assigned(1, 0), ...both(1, 0, 0), assigned(2, 0), ...both(2, 0, 0)];
    expect(duplicateCounts(ledger)).toEqual({ total: 1, outsideWindow: 0 });
  });

  it('a redelivery after a commit covering the message is outside the window', () => {
    const ledger = [...both(1, 0, 0), commit(1, 0, 1), ...both(2, 0, 0)];
    expect(duplicateCounts(ledger)).toEqual({ total: 1, outsideWindow: 1 });
  });

  it('retries of one message are not duplicates', () => {
    const ledger = [h('call', 1, 0, 0, 1), h('call', 1, 0, 0, 2), h('done', 1, 0, 0, 2)];
    expect(duplicateCounts(ledger).total).toBe(0);
  });
});

describe('orderViolations', () => {
  it('accepts strictly increasing completions per process and assignment', () => {
    expect(orderViolations([assigned(1, 0), ...both(1, 0, 0), ...both(1, 0, 2), ...both(1, 0, 5)])).toBe(0);
  });

  it('flags a step back within one assignment', () => {
    expect(orderViolations([assigned(1, 0), ...both(1, 0, 3), ...both(1, 0, 2)])).toBe(1);
  });

  it('allows a new process or a new assignment to restart from the committed offset', () => {
    const ledger = [
      assigned(1, 0),
      ...both(1, 0, 3),
      assigned(2, 0),
      ...both(2, 0, 1),
      assigned(2, 0),
      ...both(2, 0, 0),
    ];
    expect(orderViolations(ledger)).toBe(0);
  });
});

describe('callsAfterRevoke', () => {
  it('flags a call on a partition another process was assigned later', () => {
    const ledger = [assigned(1, 0, 1), h('call', 1, 0, 0), assigned(2, 0), h('call', 1, 0, 1)];
    expect(callsAfterRevoke(ledger)).toBe(1);
  });

  it('flags a call on a partition the process does not hold', () => {
    expect(callsAfterRevoke([assigned(1, 1), h('call', 1, 0, 0)])).toBe(1);
  });

  it('accepts calls on held partitions, also after getting a partition back', () => {
    const ledger = [assigned(1, 0), h('call', 1, 0, 0), assigned(2, 0), assigned(1, 0), h('call', 1, 0, 1)];
    expect(callsAfterRevoke(ledger)).toBe(0);
  });
});

describe('commitRegressions', () => {
  it('flags committed offsets that go backwards, in samples and in logged commits', () => {
    const samples = [
      { ts: 1, offsets: { 0: '-1' } },
      { ts: 2, offsets: { 0: '5' } },
      { ts: 3, offsets: { 0: '4' } },
      { ts: 4, offsets: { 0: '6' } },
    ];
    expect(commitRegressions(samples, [commit(1, 0, 3), commit(2, 0, 2)])).toEqual({
      regressions: 2,
      staleReads: 0,
    });
  });

  it('counts a read of an older acknowledged commit as a stale read, not a regression', () => {
    // Committed 461 then 510; a coordinator elected meanwhile serves 461 again for a moment.
    const samples = [
      { ts: 10, offsets: { 0: '461' } },
      { ts: 20, offsets: { 0: '510' } },
      { ts: 30, offsets: { 0: '461' } },
      { ts: 40, offsets: { 0: '538' } },
    ];
    const ledger = [commit(1, 0, 461), commit(1, 0, 510), commit(1, 0, 538)].map((e, i) => ({
      ...e,
      ts: 5 + i * 15,
    }));
    expect(commitRegressions(samples, ledger)).toEqual({ regressions: 0, staleReads: 1 });
    // A value nobody committed is a regression however it came about.
    expect(commitRegressions([...samples, { ts: 50, offsets: { 0: '500' } }], ledger)).toEqual({
      regressions: 1,
      staleReads: 1,
    });
  });

  it('accepts monotonic offsets and partitions without commits', () => {
    expect(
      commitRegressions(
        [
          { ts: 1, offsets: { 0: '-1', 1: '3' } },
          { ts: 2, offsets: { 0: '1', 1: '3' } },
        ],
        [],
      ),
    ).toEqual({ regressions: 0, staleReads: 0 });
  });
});

describe('check', () => {
  it('summarises a clean run', () => {
    const ledger = [assigned(1, 0), ...both(1, 0, 0), ...both(1, 0, 1), commit(1, 0, 2)];
    const m = check({ acked: [acked('0:0', 0, 0), acked('0:1', 0, 1)], ledger });
    expect(m).toMatchObject({ acked: 2, completed: 2, lost: [], duplicates: 0, orderViolations: 0 });
  });
});

describe('per-key checks', () => {
  const call = (ev: 'call' | 'done' | 'fail', o: number, k: string, pid = 1) =>
    ({ ev, t: 't', p: 0, o: String(o), id: `0:${o}`, k, a: 1, pid, ts: 0 }) as const;

  it('counts a call of a key while another message of that key runs in the same process', () => {
    const ledger = [call('call', 0, 'a'), call('call', 1, 'a'), call('done', 0, 'a'), call('done', 1, 'a')];
    expect(keyViolations(ledger)).toEqual({ overlaps: 1, order: 0 });
  });

  it('a failed attempt frees its key; different keys may overlap', () => {
    const ledger = [
      call('call', 0, 'a'),
      call('call', 1, 'b'),
      call('fail', 0, 'a'),
      call('call', 2, 'a'),
      call('done', 1, 'b'),
      call('done', 2, 'a'),
    ];
    expect(keyViolations(ledger)).toEqual({ overlaps: 0, order: 0 });
  });

  it("a key's completions must move forward within one process and assignment", () => {
    const ledger = [call('call', 5, 'a'), call('done', 5, 'a'), call('call', 3, 'a'), call('done', 3, 'a')];
    expect(keyViolations(ledger).order).toBe(1);
    const restarted = [
      call('call', 5, 'a'),
      call('done', 5, 'a'),
      call('call', 3, 'a', 2),
      call('done', 3, 'a', 2),
    ];
    expect(keyViolations(restarted).order).toBe(0);
  });

  it('counts messages in flight in one process and completed by a later one', () => {
    const ledger = [
      call('call', 0, 'a'),
      call('call', 0, 'a', 2),
      call('done', 0, 'a', 2),
      call('call', 1, 'b'),
      call('done', 1, 'b'),
    ];
    expect(redeliveredInFlight(ledger)).toBe(1);
  });
});

describe('longestStall (failover scenarios)', () => {
  it('measures from the fault to the first completion and between completions, per partition', async () => {
    const { longestStall } = await import('../../src/scenarios/s13-failover.js');
    const done = (p: number, ts: number) =>
      ({ ev: 'done', t: 't', p, o: '0', id: `${p}:${ts}`, a: 1, pid: 1, ts }) as const;
    const ledger = [done(0, 1000), done(0, 1100), done(0, 9000), done(1, 1500), done(1, 1600)];
    expect(longestStall(ledger, [0, 1], 1000, 20_000)).toEqual({ ms: 7900, partition: 0 });
    expect(longestStall(ledger, [1], 1000, 20_000)).toEqual({ ms: 500, partition: 1 });
    expect(longestStall(ledger, [2], 1000, 20_000)).toEqual({ ms: 19_000, partition: 2 });
  });
});

describe('longestPause (failover scenarios)', () => {
  it('measures the longest time with no completion on any partition, from the fault on', async () => {
    const { longestPause } = await import('../../src/scenarios/s13-failover.js');
    const done = (p: number, ts: number) =>
      ({ ev: 'done', t: 't', p, o: '0', id: `${p}:${ts}`, a: 1, pid: 1, ts }) as const;
    // Partition 1 waits its turn behind partition 0: that is no pause of the consumer.
    const busy = [done(0, 1000), done(0, 1100), done(0, 5000), done(1, 5100), done(1, 5200)];
    expect(longestPause(busy, 1000, 5200)).toEqual({ ms: 3900, at: 1100 });
    expect(longestPause([done(0, 500), done(1, 9000)], 1000, 9000)).toEqual({ ms: 8000, at: 1000 });
    expect(longestPause([], 1000, 4000)).toEqual({ ms: 3000, at: 1000 });
  });
});

describe('share groups', () => {
  it('classifies each duplicate by its previous completion: the member died, its ACCEPT was refused, or unexplained', () => {
    const ledger: LedgerEntry[] = [
      ...both(1, 0, 1), // pid 1 dies later: 0:1 done again by pid 2
      ...both(2, 0, 1),
      ...both(2, 0, 2), // pid 2's ACCEPT of 0:2 refused (lock expired): done again by pid 3
      { ev: 'ack-refused', pid: 2, ts: 0, o: '2' },
      ...both(3, 0, 2),
      ...both(3, 0, 3), // pid 3 lives and was not refused: unexplained
      ...both(4, 0, 3),
    ];
    expect(shareDuplicates(ledger, { diedPids: new Set([1]) })).toEqual({ died: 1, lock: 1, unexplained: 1 });
  });

  it('a share member may finish records of a partition its newer assignment no longer holds; a partition it never had is a violation', () => {
    const ledger: LedgerEntry[] = [
      assigned(1, 0, 1),
      assigned(2, 0, 1),
      assigned(1, 0),
      ...both(1, 1, 5),
      ...both(2, 1, 6),
      ...both(1, 2, 7),
    ];
    expect(callsAfterRevoke(ledger, true)).toBe(1);
    expect(callsAfterRevoke(ledger)).toBeGreaterThan(1);
  });
});
