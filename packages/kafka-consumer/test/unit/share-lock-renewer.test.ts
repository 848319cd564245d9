import { afterEach, describe, expect, it, vi } from 'vitest';
import { noopLogger } from '../../src/logger.js';
import { LockRenewer } from '../../src/share/lock-renewer.js';
import type { ShareRecord } from '../../src/share/records.js';
import type { ShareSession } from '../../src/share/session.js';

const LOCK_MS = 400;
const record = (offset: string, lockExpiresAt: number): ShareRecord => ({
  topic: 't',
  partition: 0,
  offset,
  key: null,
  value: null,
  timestamp: '0',
  attributes: 0,
  headers: {},
  deliveryCount: 1,
  lockExpiresAt,
});

afterEach(() => {
  vi.useRealTimers();
});

describe('LockRenewer', () => {
  it('renews held records at half their lock; one the broker refuses is asked once more alone, logged once, then left alone', async () => {
    vi.useFakeTimers({ now: 0 });
    const kept = record('1', LOCK_MS);
    const expired = record('2', LOCK_MS);
    const held = [kept, expired];
    const asked: string[][] = [];
    const session = {
      lockDurationMs: LOCK_MS,
      held: () => held,
      renew: async (records: readonly ShareRecord[]) => {
        asked.push(records.map((r) => r.offset));
        if (records.includes(expired)) throw new Error('INVALID_RECORD_STATE');
        return Date.now() + LOCK_MS;
      },
    } as unknown as ShareSession;
    const warnings: string[] = [];
    const renewer = new LockRenewer(session, { ...noopLogger, warn: (_o, msg) => warnings.push(msg ?? '') });
    renewer.start();
    await vi.advanceTimersByTimeAsync(LOCK_MS / 4); // t=100: 300 ms left, not due
    expect(asked).toEqual([]);
    await vi.advanceTimersByTimeAsync(LOCK_MS / 4); // t=200: half left, due
    expect(asked).toEqual([['1', '2'], ['1'], ['2']]);
    expect(warnings.filter((w) => w.startsWith('acquisition lock not renewed'))).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(2 * LOCK_MS);
    // Only the kept record again, at half of each new lock; the refused one is not asked again.
    expect(asked.slice(3).every((a) => a.length === 1 && a[0] === '1')).toBe(true);
    expect(asked.length).toBeGreaterThan(3);
    expect(warnings).toHaveLength(1);
    expect(renewer.renewed).toBe(asked.length - 2);
    renewer.stop();
  });
});
