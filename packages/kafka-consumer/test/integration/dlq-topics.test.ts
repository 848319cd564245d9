import { testClient } from '@kafkakit/kafka-testkit';
import { describe, expect, it } from 'vitest';
import { TopicMissingError } from '../../src/index.js';
import { brokers, cleanupTopic, consumer, topic } from './support.js';

async function describeTopic(name: string) {
  const admin = testClient(brokers()).admin();
  await admin.connect();
  try {
    const existing = await admin.listTopics();
    if (!existing.includes(name)) return undefined;
    const { topics } = await admin.fetchTopicMetadata({ topics: [name] });
    return topics[0];
  } finally {
    await admin.disconnect();
  }
}

describe('dead-letter topics at connect', () => {
  it('createTopics: false and a missing DLQ topic: start-up fails naming it and how to create it; nothing is created', async () => {
    const source = await topic('kc-dlqcheck');
    const c = consumer({ topics: [source], deadLetter: { createTopics: false }, handler: () => undefined });
    const error = await c.run().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TopicMissingError);
    expect((error as TopicMissingError).topic).toBe(`${source}.dlq`);
    expect((error as Error).message).toContain(`kafka-topics.sh --create --topic ${source}.dlq`);
    expect(c.health().problems.join('\n')).toContain(`${source}.dlq`);
    expect(await describeTopic(`${source}.dlq`)).toBeUndefined();
  });

  it('createTopics (the default): a missing DLQ topic is created with explicit partitions and replication factor', async () => {
    const source = await topic('kc-dlqcreate');
    cleanupTopic(`${source}.dlq`);
    const c = consumer({ topics: [source], deadLetter: { partitions: 2 }, handler: () => undefined });
    await c.run();
    const created = await describeTopic(`${source}.dlq`);
    expect(created?.partitions).toHaveLength(2);
    // One broker here: the default factor 3 is capped by the cluster size.
    expect(created?.partitions[0]?.replicas).toHaveLength(1);
  });
});
