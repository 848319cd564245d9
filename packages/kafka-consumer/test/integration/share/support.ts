import { alterGroupConfig, createTopic, deleteTopics, testClient, uniqueName } from '@kafkakit/kafka-testkit';
import type {} from '@kafkakit/kafka-testkit/vitest-setup';
import { afterEach, expect, inject, vi } from 'vitest';
import {
  openShareSession,
  type ShareRecord,
  type ShareSession,
  type ShareSessionOptions,
} from '../../../src/share/index.js';

export const brokers = (): string[] => inject('kafkaBrokers');

const sessions: ShareSession[] = [];
const topics: string[] = [];

afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.close().catch(() => undefined)));
  const created = topics.splice(0);
  if (created.length > 0) await deleteTopics(brokers(), created).catch(() => undefined);
});

/** A one-partition topic, deleted after the test. */
export async function topic(prefix: string, partitions = 1): Promise<string> {
  const name = uniqueName(prefix);
  await createTopic(brokers(), name, partitions);
  topics.push(name);
  return name;
}

/** A new share group that starts at the log start (`share.auto.offset.reset=earliest`). */
export async function earliestGroup(prefix = 'kc-share'): Promise<string> {
  const groupId = uniqueName(prefix);
  await alterGroupConfig(brokers(), groupId, { 'share.auto.offset.reset': 'earliest' });
  return groupId;
}

/** A joined share session, closed after the test. */
export async function session(
  options: Pick<ShareSessionOptions, 'groupId' | 'topics'> & Partial<ShareSessionOptions>,
): Promise<ShareSession> {
  const s = await openShareSession({
    brokers: brokers(),
    clientId: 'kc-share-test',
    maxWaitMs: 200,
    ...options,
  });
  sessions.push(s);
  return s;
}

/**
 * Fetches with `s` until `done()` or the deadline, handing each batch to `each` (which acknowledges
 * as it likes). Resolves with everything fetched.
 */
export async function fetchUntil(
  s: ShareSession,
  done: () => boolean,
  each: (records: ShareRecord[]) => Promise<void> | void,
  deadlineMs = 30_000,
): Promise<ShareRecord[]> {
  const deadline = Date.now() + deadlineMs;
  const all: ShareRecord[] = [];
  while (!done()) {
    if (Date.now() > deadline)
      throw new Error(`fetchUntil: condition not met in ${deadlineMs} ms (${all.length} fetched)`);
    const records = await s.fetch();
    all.push(...records);
    if (records.length > 0) await each(records);
  }
  return all;
}

/** Waits until the group lists `count` members, each with an assignment (the coordinator settled). */
export async function untilMembers(s: ShareSession, count: number, timeout = 20_000): Promise<void> {
  await vi.waitFor(
    async () => {
      const group = await s.describe();
      expect(group.members.filter((m) => m.assignment.length > 0)).toHaveLength(count);
    },
    { timeout, interval: 200 },
  );
}

export const values = (records: readonly ShareRecord[]): string[] =>
  records.map((r) => r.value?.toString() ?? '');

/** Fetches (accepting nothing) until records with all `wanted` values arrived; returns those, by offset. */
export async function fetchValues(
  s: ShareSession,
  wanted: readonly string[],
  deadlineMs = 20_000,
): Promise<ShareRecord[]> {
  const got: ShareRecord[] = [];
  await fetchUntil(
    s,
    () => wanted.every((w) => values(got).includes(w)),
    (records) => {
      got.push(...records);
    },
    deadlineMs,
  );
  return got
    .filter((r) => wanted.includes(r.value?.toString() ?? ''))
    .sort((a, b) => Number(BigInt(a.offset) - BigInt(b.offset)));
}

/** Produces `batches` record batches of `size` records each (`<prefix><i>`), one send per batch. */
export async function produceBatches(
  topicName: string,
  batches: number,
  size: number,
  prefix = 'm',
): Promise<string[]> {
  const producer = testClient(brokers()).producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const sent: string[] = [];
  try {
    for (let b = 0; b < batches; b++) {
      const messages = Array.from({ length: size }, (_, i) => ({ value: `${prefix}${b * size + i}` }));
      await producer.send({ topic: topicName, acks: -1, messages });
      sent.push(...messages.map((m) => m.value));
    }
  } finally {
    await producer.disconnect();
  }
  return sent;
}
