import { setTimeout as sleep } from 'node:timers/promises';
import { alterGroupConfig, uniqueName } from '@kafkakit/kafka-testkit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createShareConsumer, type KafkaConsumer, type Logger, noopLogger } from '../../../src/index.js';
import { brokers, produceBatches, session, topic } from './support.js';

const LOCK_MS = 2000;
const SLOW_MS = 3 * LOCK_MS;
const consumers: KafkaConsumer[] = [];

afterEach(async () => {
  await Promise.all(consumers.splice(0).map((c) => c.disconnect().catch(() => undefined)));
});

/** Counts the renewer's debug lines ("acquisition locks renewed") and its warnings. */
function renewLog(): { logger: Logger; renewals: () => number; warnings: string[] } {
  let renewals = 0;
  const warnings: string[] = [];
  return {
    logger: {
      ...noopLogger,
      debug: (_obj, msg) => {
        if (msg === 'acquisition locks renewed') renewals++;
      },
      warn: (_obj, msg) => {
        warnings.push(msg ?? '');
      },
    },
    renewals: () => renewals,
    warnings,
  };
}

describe('share groups: a handler longer than the acquisition lock', () => {
  it('the lock is renewed while the handler runs: called once (attempt 1), never given to the other member, accepted', async () => {
    const name = await topic('kc-sc-renew');
    const groupId = uniqueName('kc-sc-renew');
    await alterGroupConfig(brokers(), groupId, {
      'share.auto.offset.reset': 'earliest',
      'share.record.lock.duration.ms': String(LOCK_MS),
    });
    const calls: Array<{ value: string; attempt: number; member: number; at: number }> = [];
    let slowDone = 0;
    const logs = [renewLog(), renewLog()];
    const members = [0, 1].map((member) => {
      const c = createShareConsumer({
        brokers: brokers(),
        groupId,
        topics: [name],
        maxWaitTimeMs: 200,
        deadLetter: false,
        concurrency: 2,
        logger: logs[member]?.logger ?? noopLogger,
        shutdown: { signals: [], drainTimeoutMs: 3000 },
        handler: async ({ message, attempt }) => {
          const value = message.value?.toString() ?? '';
          calls.push({ value, attempt, member, at: Date.now() });
          if (value === 'slow0') {
            await sleep(SLOW_MS);
            slowDone = Date.now();
          }
        },
      });
      consumers.push(c);
      return c;
    });
    await Promise.all(members.map((c) => c.run()));
    await produceBatches(name, 1, 1, 'slow');
    await vi.waitFor(() => expect(calls.map((c) => c.value)).toContain('slow0'), { timeout: 20_000 });
    const slowAt = Date.now();
    // While the slow handler runs past its lock, both members keep fetching: the later records are
    // handled (the precondition: a member was there to take the slow record had its lock run out).
    const fast = await produceBatches(name, 10, 2, 'fast');
    await vi.waitFor(
      () =>
        expect(new Set(calls.filter((c) => c.value.startsWith('fast')).map((c) => c.value)).size).toBe(
          fast.length,
        ),
      { timeout: 20_000 },
    );
    await vi.waitFor(() => expect(slowDone).toBeGreaterThan(0), { timeout: SLOW_MS + 10_000 });
    expect(slowDone - slowAt).toBeGreaterThan(2 * LOCK_MS);
    await Promise.all(members.map((c) => c.disconnect()));
    // Accepted: a new member of the group finds nothing left (the slow record's lock is long gone).
    const late = await session({ groupId, topics: [name] });
    expect(await late.fetch()).toEqual([]);
    const slowCalls = calls.filter((c) => c.value === 'slow0');
    expect(slowCalls.map((c) => c.attempt)).toEqual([1]);
    const holder = slowCalls[0]?.member ?? -1;
    expect(logs[holder]?.renewals()).toBeGreaterThanOrEqual(2);
    expect(logs.flatMap((l) => l.warnings)).toEqual([]);
    console.info(
      `[share renew] slow handler ${slowDone - slowAt} ms with a ${LOCK_MS} ms lock; ${logs[holder]?.renewals()} renewals by its member; the other member handled ${calls.filter((c) => c.member !== holder).length} records meanwhile`,
    );
  });
});
