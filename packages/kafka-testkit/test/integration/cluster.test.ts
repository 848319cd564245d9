import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  consumeAll,
  createTopic,
  type KafkaHandle,
  produceMessages,
  startKafka,
  uniqueName,
  waitFor,
} from '../../src/index.js';

describe('three-node local cluster', () => {
  let kafka: KafkaHandle;
  beforeAll(async () => {
    kafka = await startKafka({ nodes: 3, mode: 'local' });
  }, 180_000);
  afterAll(async () => kafka?.stop(), 60_000);

  it('runs three KRaft nodes with replication factor 3 and min.insync.replicas 2 by default', async () => {
    const cluster = kafka.cluster;
    if (cluster === undefined) throw new Error('no cluster control');
    expect(kafka.brokers).toHaveLength(3);
    expect(new Set(cluster.nodes.map((n) => n.pid)).size).toBe(3);
    const topic = uniqueName('tk-cluster');
    await createTopic(kafka.brokers, topic, 3);
    const admin = new Kafka({ brokers: kafka.brokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
      expect(topics[0]?.partitions.map((p) => p.replicas.length)).toEqual([3, 3, 3]);
      const configs = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [{ type: 2, name: topic, configNames: ['min.insync.replicas'] }],
      });
      expect(configs.resources[0]?.configEntries[0]?.configValue).toBe('2');
    } finally {
      await admin.disconnect();
    }
  });

  it('kills a partition leader, elects another, and takes the restarted node back', async () => {
    const cluster = kafka.cluster;
    if (cluster === undefined) throw new Error('no cluster control');
    const topic = uniqueName('tk-failover');
    await createTopic(kafka.brokers, topic, 1);
    await produceMessages(kafka.brokers, topic, 10);
    const leader = await cluster.leaderOf(topic, 0);
    const oldPid = cluster.nodes[leader - 1]?.pid;
    await cluster.killNode(leader);
    expect(cluster.nodes[leader - 1]?.running).toBe(false);
    let newLeader = leader;
    await waitFor(
      async () => {
        newLeader = await cluster.leaderOf(topic, 0);
        return newLeader !== leader;
      },
      { timeoutMs: 30_000, message: 'a new leader elected' },
    );
    const live = cluster.nodes.filter((n) => n.running).map((n) => n.address);
    // acks=all with 2 of 3 in sync: still writable; nothing written before is lost.
    await produceMessages(live, topic, 5);
    expect(await consumeAll(live, topic, 15, { timeoutMs: 30_000 })).toHaveLength(15);
    await cluster.startNode(leader);
    expect(cluster.nodes[leader - 1]?.running).toBe(true);
    expect(cluster.nodes[leader - 1]?.pid).not.toBe(oldPid);
  });

  it('finds the node hosting a group coordinator', async () => {
    const cluster = kafka.cluster;
    if (cluster === undefined) throw new Error('no cluster control');
    const groupId = uniqueName('tk-group');
    const coordinator = await cluster.coordinatorOf(groupId);
    expect([1, 2, 3]).toContain(coordinator);
    // The coordinator's node answers the group's offset fetch; stopping it moves the group elsewhere.
    await cluster.stopNode(coordinator);
    await waitFor(async () => (await cluster.coordinatorOf(groupId)) !== coordinator, {
      timeoutMs: 30_000,
      message: 'the coordinator moved',
    });
    await cluster.startNode(coordinator);
  });
});
