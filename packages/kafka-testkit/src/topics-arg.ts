import { createTopic, testClient } from './helpers.js';

/** One topic of `pnpm kafka --topics a,b:3`: its name and partition count (1 unless given). */
export interface TopicSpec {
  topic: string;
  partitions: number;
}

/** Kafka's own rule for a topic name (legal characters, at most 249, not "." or ".."). */
const TOPIC = /^[a-zA-Z0-9._-]{1,249}$/;

/** Parses "a,b:3" into specs; throws an Error naming the bad entry. */
export function parseTopicsArg(raw: string): TopicSpec[] {
  const specs: TopicSpec[] = [];
  for (const entry of raw.split(',').map((part) => part.trim())) {
    if (entry === '') continue;
    const [topic = '', partitions, extra] = entry.split(':');
    if (extra !== undefined || !TOPIC.test(topic) || topic === '.' || topic === '..')
      throw new Error(
        `--topics: ${JSON.stringify(entry)} is not <topic>[:<partitions>] (letters, digits, ".", "_", "-")`,
      );
    const count = partitions === undefined ? 1 : Number(partitions);
    if (!Number.isInteger(count) || count < 1 || count > 10_000)
      throw new Error(`--topics: the partitions of ${topic} must be a whole number from 1 to 10000`);
    if (specs.some((spec) => spec.topic === topic)) throw new Error(`--topics: ${topic} is listed twice`);
    specs.push({ topic, partitions: count });
  }
  if (specs.length === 0) throw new Error('--topics: name at least one topic, e.g. --topics orders.placed:3');
  return specs;
}

/** Creates each topic that does not exist yet; returns one line per topic saying what happened. */
export async function createTopics(brokers: string[], specs: readonly TopicSpec[]): Promise<string[]> {
  const admin = testClient(brokers).admin();
  await admin.connect();
  let existing: Set<string>;
  try {
    existing = new Set(await admin.listTopics());
  } finally {
    await admin.disconnect();
  }
  const lines: string[] = [];
  for (const { topic, partitions } of specs) {
    if (existing.has(topic)) {
      lines.push(`  exists  ${topic} (left as it is)`);
      continue;
    }
    await createTopic(brokers, topic, partitions);
    lines.push(`  created ${topic} (${partitions} partition${partitions === 1 ? '' : 's'})`);
  }
  return lines;
}
