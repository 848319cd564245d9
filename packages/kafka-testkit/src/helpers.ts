import { randomBytes } from 'node:crypto';
import { type Admin, type IHeaders, Kafka, logLevel, type Producer } from 'kafkajs';

/**
 * Set by the global setup for the whole run (workers inherit it): every name made with uniqueName
 * starts with it, so a run on a shared test cluster can find and delete exactly what it made.
 */
export const RUN_PREFIX_ENV = 'KAFKAKIT_TEST_RUN_PREFIX';

/** A name no other test uses: `[<run prefix>]${prefix}-<time>-<random>` (valid as a topic and a group id). */
export function uniqueName(prefix: string): string {
  const run = process.env[RUN_PREFIX_ENV] ?? '';
  return `${run}${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

/** Deletes every topic and consumer group whose name starts with `prefix`; returns how many of each. */
export async function deleteByPrefix(
  brokers: string[],
  prefix: string,
): Promise<{ topics: number; groups: number }> {
  if (prefix.length < 8) throw new Error(`refusing to delete by the short prefix "${prefix}"`);
  return withAdmin(brokers, async (admin) => {
    const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(prefix));
    if (topics.length > 0) await admin.deleteTopics({ topics });
    const groups = (await admin.listGroups()).groups
      .map((group) => group.groupId)
      .filter((groupId) => groupId.startsWith(prefix));
    if (groups.length > 0) await admin.deleteGroups(groups).catch(() => undefined);
    return { topics: topics.length, groups: groups.length };
  });
}

export function testClient(brokers: string[], clientId = 'kafkakit-testkit'): Kafka {
  return new Kafka({ brokers, clientId, logLevel: logLevel.NOTHING, retry: { retries: 8 } });
}

async function withAdmin<T>(brokers: string[], fn: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = testClient(brokers).admin();
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.disconnect();
  }
}

export async function createTopic(
  brokers: string[],
  topic: string,
  partitions = 1,
  config: Record<string, string> = {},
): Promise<void> {
  await withAdmin(brokers, async (admin) => {
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        {
          topic,
          numPartitions: partitions,
          // The broker's default.replication.factor: 1 on the single node, 3 on a three-node cluster.
          configEntries: Object.entries(config).map(([name, value]) => ({ name, value })),
        },
      ],
    });
  });
}

export async function deleteTopics(brokers: string[], topics: string[]): Promise<void> {
  await withAdmin(brokers, async (admin) => {
    const existing = new Set(await admin.listTopics());
    const present = topics.filter((t) => existing.has(t));
    if (present.length > 0) await admin.deleteTopics({ topics: present });
  });
}

export interface TestMessage {
  key?: string | Buffer | null;
  value: string | Buffer | null;
  headers?: IHeaders;
  partition?: number;
}

/**
 * Produces `messages` (or `count` messages `{ key: "k<i>", value: "m<i>" }`) and waits for every
 * acknowledgement (acks=-1). Sends in chunks of 1,000 so large volumes stay fast.
 */
export async function produceMessages(
  brokers: string[],
  topic: string,
  messages: TestMessage[] | number,
): Promise<void> {
  const list =
    typeof messages === 'number'
      ? Array.from({ length: messages }, (_, i) => ({ key: `k${i}`, value: `m${i}` }) as TestMessage)
      : messages;
  const producer: Producer = testClient(brokers).producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    for (let i = 0; i < list.length; i += 1000) {
      await producer.send({ topic, acks: -1, messages: list.slice(i, i + 1000) });
    }
  } finally {
    await producer.disconnect();
  }
}

/** Committed offset per partition for `groupId` on `topic` ('-1' where nothing was committed). */
export async function readCommittedOffsets(
  brokers: string[],
  groupId: string,
  topic: string,
): Promise<Record<number, string>> {
  return withAdmin(brokers, async (admin) => {
    const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return Object.fromEntries((entry?.partitions ?? []).map((p) => [p.partition, p.offset]));
  });
}

/** End offset (high watermark) per partition of `topic`. */
export async function readEndOffsets(brokers: string[], topic: string): Promise<Record<number, string>> {
  return withAdmin(brokers, async (admin) => {
    const offsets = await admin.fetchTopicOffsets(topic);
    return Object.fromEntries(offsets.map((p) => [p.partition, p.high]));
  });
}

export interface ConsumedRecord {
  topic: string;
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: IHeaders;
  timestamp: string;
}

/** Reads `count` records of `topic` from the beginning with a fresh group; rejects after timeoutMs. */
export async function consumeAll(
  brokers: string[],
  topic: string,
  count: number,
  options: { timeoutMs?: number } = {},
): Promise<ConsumedRecord[]> {
  const consumer = testClient(brokers).consumer({
    groupId: uniqueName('kafkakit-reader'),
    maxWaitTimeInMs: 200,
  });
  const records: ConsumedRecord[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(new Error(`consumeAll: read ${records.length} of ${count} records from ${topic} in time`)),
        options.timeoutMs ?? 30_000,
      );
      if (count === 0) {
        clearTimeout(timer);
        resolve();
        return;
      }
      consumer
        .run({
          eachMessage: async ({ topic: t, partition, message }) => {
            records.push({ topic: t, partition, ...message, headers: message.headers ?? {} });
            if (records.length >= count) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return records;
}

/** Polls `condition` until it holds; rejects with `message` (and the last error) after timeoutMs. */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  options: { timeoutMs?: number; intervalMs?: number; message?: string } = {},
): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  let lastError: unknown;
  for (;;) {
    try {
      if (await condition()) return;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`waitFor timed out: ${options.message ?? 'condition never held'}`, {
        cause: lastError,
      });
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 100));
  }
}
