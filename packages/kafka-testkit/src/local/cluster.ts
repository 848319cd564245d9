import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { TestkitError } from '../errors.js';
import type { ClusterControl, ClusterNodeHandle, KafkaHandle } from '../types.js';
import {
  type ClusterNodeConfig,
  clusterNodeProperties,
  type ExtraListener,
  type NodePorts,
  offsetsPartitionFor,
} from './cluster-config.js';
import { clusterId, log4j2Properties } from './config.js';
import { ensureBrokerJars } from './jars.js';
import { requireJava } from './java.js';
import { formatNodeStorage, LocalNode } from './node.js';
import { freePort } from './ports.js';

export interface LocalClusterOptions {
  readonly version: string;
  readonly nodes: number;
  /** -Xmx (and -Xms) per node. @default '384m' */
  readonly heap?: string | undefined;
  readonly startTimeoutMs?: number | undefined;
  /** Extra client listeners of a node (security), given a free-port source. */
  readonly listenersFor?: (id: number, port: () => Promise<number>) => Promise<ExtraListener[]>;
  readonly properties?: Readonly<Record<string, string>>;
  /** Extra `kafka-storage format` arguments (e.g. --add-scram). */
  readonly formatArgs?: readonly string[];
  /** A folder the cluster's files go to instead of a fresh temp dir (removed on stop either way). */
  readonly baseDir?: string;
}

async function distinctPorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}

const admin = (brokers: string[], timeoutMs: number) =>
  new Kafka({
    brokers,
    clientId: 'kafkakit-cluster',
    logLevel: logLevel.NOTHING,
    connectionTimeout: timeoutMs,
    requestTimeout: timeoutMs,
    retry: { retries: 0 },
  }).admin();

/** Broker ids a metadata request through `brokers` lists, or undefined when none answers. */
async function liveBrokers(brokers: string[], timeoutMs = 2000): Promise<number[] | undefined> {
  const a = admin(brokers, timeoutMs);
  try {
    await a.connect();
    const cluster = await a.describeCluster();
    return cluster.brokers.map((b) => b.nodeId).sort();
  } catch {
    return undefined;
  } finally {
    await a.disconnect().catch(() => undefined);
  }
}

/**
 * A KRaft cluster of `nodes` combined broker+controller nodes on 127.0.0.1, each its own JVM under
 * its own guardian (it dies with the test run), on free ports, with a bounded heap; replication
 * factor = nodes and min.insync.replicas 2 by default. Resolves once every node is in the metadata.
 */
export async function startLocalCluster(options: LocalClusterOptions): Promise<KafkaHandle> {
  const { version } = options;
  if (version.startsWith('3.')) {
    throw new TestkitError(
      'CLUSTER_VERSION',
      'A multi-node local cluster needs Kafka 4.x (KAFKA_VERSION=4.4.0)',
    );
  }
  const java = requireJava(17);
  const jars = ensureBrokerJars(version);
  const started = Date.now();
  const deadline = started + (options.startTimeoutMs ?? 180_000);
  const base = options.baseDir ?? mkdtempSync(join(tmpdir(), 'kafkakit-cluster-'));
  mkdirSync(base, { recursive: true });
  const logConfig = join(base, 'log4j2.properties');
  writeFileSync(logConfig, log4j2Properties());
  const ports = await distinctPorts(options.nodes * 2);
  const voters: NodePorts[] = Array.from({ length: options.nodes }, (_, i) => ({
    id: i + 1,
    port: ports[2 * i] as number,
    controllerPort: ports[2 * i + 1] as number,
  }));
  const id = clusterId(randomBytes(16));
  const nodes: LocalNode[] = [];
  const extraPort = async () => (await distinctPorts(1))[0] as number;
  for (const node of voters) {
    const dir = join(base, `node-${node.id}`);
    mkdirSync(dir, { recursive: true });
    const config: ClusterNodeConfig = {
      node,
      voters,
      dataDir: join(dir, 'data'),
      listeners: (await options.listenersFor?.(node.id, extraPort)) ?? [],
      properties: options.properties ?? {},
    };
    const propsFile = join(dir, 'server.properties');
    writeFileSync(propsFile, clusterNodeProperties(config));
    const spec = {
      id: node.id,
      java,
      libDir: jars.libDir,
      propsFile,
      logConfig,
      logFile: join(dir, 'broker.log'),
      heap: options.heap ?? '384m',
    };
    formatNodeStorage(spec, id, options.formatArgs);
    nodes.push(new LocalNode(spec));
  }
  const brokers = voters.map((v) => `127.0.0.1:${v.port}`);
  const stopAll = async () => {
    await Promise.all(nodes.map((n) => n.stop()));
    rmSync(base, { recursive: true, force: true });
  };
  try {
    await Promise.all(nodes.map((n) => n.spawn()));
    await waitForBrokers(
      brokers,
      voters.map((v) => v.id),
      nodes,
      deadline,
    );
  } catch (error) {
    await stopAll();
    throw error;
  }
  const byId = (nodeId: number): LocalNode => {
    const node = nodes.find((n) => n.spec.id === nodeId);
    if (node === undefined)
      throw new TestkitError('NO_SUCH_NODE', `No node ${nodeId}: the nodes are 1..${nodes.length}`);
    return node;
  };
  const nodeHandles: ClusterNodeHandle[] = voters.map((v) => ({
    id: v.id,
    address: `127.0.0.1:${v.port}`,
    get pid() {
      return byId(v.id).pid;
    },
    get running() {
      return byId(v.id).running;
    },
    logFile: byId(v.id).spec.logFile,
  }));
  const liveAddresses = () => nodeHandles.filter((n) => n.running).map((n) => n.address);
  const cluster: ClusterControl = {
    nodes: nodeHandles,
    stopNode: (nodeId) => byId(nodeId).stop(),
    killNode: (nodeId) => byId(nodeId).kill(),
    startNode: async (nodeId) => {
      const node = byId(nodeId);
      await node.spawn();
      const self = [`127.0.0.1:${voters[nodeId - 1]?.port}`];
      await waitForBrokers(self, [nodeId], [node], Date.now() + 120_000, true);
    },
    leaderOf: async (topic, partition) => {
      // A node may not know a new topic (or a new leader) yet: ask again for a while.
      const deadline = Date.now() + 15_000;
      for (;;) {
        const a = admin(liveAddresses(), 5000);
        try {
          await a.connect();
          const { topics } = await a.fetchTopicMetadata({ topics: [topic] });
          const leader = topics[0]?.partitions.find((p) => p.partitionId === partition)?.leader;
          if (leader !== undefined && leader >= 0) return leader;
          if (Date.now() > deadline)
            throw new TestkitError('NO_LEADER', `${topic}[${partition}] has no leader now`);
        } catch (error) {
          if (Date.now() > deadline) throw error;
        } finally {
          await a.disconnect().catch(() => undefined);
        }
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    },
    coordinatorOf: async (groupId) => cluster.leaderOf('__consumer_offsets', offsetsPartitionFor(groupId)),
  };
  return {
    brokers,
    version,
    mode: 'local',
    startupMs: Date.now() - started,
    jarsFetchedMs: jars.fetched ? jars.ms : undefined,
    logFile: nodes[0]?.spec.logFile,
    dataDir: base,
    pid: nodes[0]?.pid,
    cluster,
    stop: stopAll,
  };
}

/** Until a metadata request through `brokers` lists every id of `expected` (or `self` answers). */
async function waitForBrokers(
  brokers: string[],
  expected: number[],
  nodes: LocalNode[],
  deadline: number,
  selfOnly = false,
): Promise<void> {
  for (;;) {
    const dead = nodes.find((n) => !n.running);
    if (dead !== undefined) {
      throw new TestkitError(
        'BROKER_EXITED',
        `Kafka node ${dead.spec.id} exited during start-up. Log tail:\n${dead.logTail()}`,
      );
    }
    if (Date.now() > deadline) {
      throw new TestkitError(
        'BROKER_START_TIMEOUT',
        `The Kafka cluster did not answer in time. Log tail of node ${nodes[0]?.spec.id}:\n${nodes[0]?.logTail()}`,
      );
    }
    const live = await liveBrokers(brokers);
    if (
      live !== undefined &&
      expected.every((id) => live.includes(id)) &&
      (selfOnly || live.length >= expected.length)
    )
      return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
