import { alterGroupConfig, uniqueName } from '@kafkakit/kafka-testkit';
import { describe, expect, it } from 'vitest';
import { ShareAcknowledgeError } from '../../../src/errors.js';
import type { ShareRecord } from '../../../src/share/index.js';
import {
  brokers,
  fetchUntil,
  fetchValues,
  produceBatches,
  session,
  topic,
  untilMembers,
  values,
} from './support.js';

const LOCK_MS = 2000;

/** A share group from the log start whose acquisition lock is LOCK_MS (the test broker allows 1 s+). */
async function shortLockGroup(): Promise<string> {
  const groupId = uniqueName('kc-share-lock');
  await alterGroupConfig(brokers(), groupId, {
    'share.auto.offset.reset': 'earliest',
    'share.record.lock.duration.ms': String(LOCK_MS),
  });
  return groupId;
}

describe('share groups: the acquisition lock', () => {
  it('a lock that runs out hands the record to another member (deliveryCount 2), and the late acknowledgement is refused', async () => {
    const name = await topic('kc-share-expire');
    const groupId = await shortLockGroup();
    const slow = await session({ groupId, topics: [name] });
    const other = await session({ groupId, topics: [name] });
    await untilMembers(slow, 2);
    await produceBatches(name, 1, 1);
    const [held] = await fetchValues(slow, ['m0']);
    expect(held?.lockExpiresAt).toBeGreaterThan(Date.now());
    const taken: ShareRecord[] = [];
    await fetchUntil(
      other,
      () => taken.length > 0,
      (records) => {
        taken.push(...records);
      },
      15_000,
    );
    expect(taken.map((r) => [r.value?.toString(), r.deliveryCount])).toEqual([['m0', 2]]);
    await expect(slow.acknowledge([held as ShareRecord], 'accept')).rejects.toBeInstanceOf(
      ShareAcknowledgeError,
    );
    await other.acknowledge(taken, 'accept');
  });

  it('renew() keeps the lock past its duration: nobody else gets the record and the accept is taken', async () => {
    const name = await topic('kc-share-renew');
    const groupId = await shortLockGroup();
    const worker = await session({ groupId, topics: [name] });
    const other = await session({ groupId, topics: [name] });
    await untilMembers(worker, 2);
    await produceBatches(name, 1, 1);
    const [held] = await fetchValues(worker, ['m0']);
    const record = held as ShareRecord;
    const until = Date.now() + 3 * LOCK_MS;
    let expiry = record.lockExpiresAt;
    const seenByOther: ShareRecord[] = [];
    // Two lock durations and more: renew at half the lock, while the other member keeps fetching.
    while (Date.now() < until) {
      const renewing = new Promise((resolve) => setTimeout(resolve, LOCK_MS / 2)).then(() =>
        worker.renew([record]),
      );
      seenByOther.push(...(await other.fetch()));
      expiry = Math.max(expiry, await renewing);
    }
    expect(expiry).toBeGreaterThan(record.lockExpiresAt + LOCK_MS);
    expect(values(seenByOther)).toEqual([]);
    await worker.acknowledge([record], 'accept');
  });
});
