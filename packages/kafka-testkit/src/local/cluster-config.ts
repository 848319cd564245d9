/** Pure renderer of one node's server.properties in a local KRaft cluster of 1..n combined nodes. */
import { SHARE_GROUP_SETTINGS } from './config.js';

export interface NodePorts {
  readonly id: number;
  /** PLAINTEXT client port (also the inter-broker listener). */
  readonly port: number;
  readonly controllerPort: number;
}

/** An extra client listener, e.g. `{ name: 'SASL', protocol: 'SASL_PLAINTEXT', port }`. */
export interface ExtraListener {
  readonly name: string;
  readonly protocol: 'SASL_PLAINTEXT' | 'SASL_SSL' | 'SSL' | 'PLAINTEXT';
  readonly port: number;
}

export interface ClusterNodeConfig {
  readonly node: NodePorts;
  readonly voters: readonly NodePorts[];
  readonly dataDir: string;
  readonly listeners?: readonly ExtraListener[];
  /** Appended last (listener.name.* settings, authorizer, ...). */
  readonly properties?: Readonly<Record<string, string>>;
}

/** Replication defaults of a cluster of `size` nodes: RF = size, min ISR 2 (1 for a single node). */
export function replicationDefaults(size: number): Record<string, string> {
  const minIsr = String(Math.min(2, size));
  return {
    'default.replication.factor': String(size),
    'min.insync.replicas': minIsr,
    'offsets.topic.replication.factor': String(size),
    'transaction.state.log.replication.factor': String(size),
    'transaction.state.log.min.isr': minIsr,
    'share.coordinator.state.topic.replication.factor': String(size),
    'share.coordinator.state.topic.min.isr': minIsr,
  };
}

/** Partitions of __consumer_offsets: a group's coordinator is the leader of partition hash % this. */
export const OFFSETS_PARTITIONS = 3;

export function clusterNodeProperties(config: ClusterNodeConfig): string {
  const { node, voters } = config;
  const extra = config.listeners ?? [];
  const listeners = [
    `PLAINTEXT://127.0.0.1:${node.port}`,
    `CONTROLLER://127.0.0.1:${node.controllerPort}`,
    ...extra.map((l) => `${l.name}://127.0.0.1:${l.port}`),
  ];
  const advertised = [
    `PLAINTEXT://127.0.0.1:${node.port}`,
    ...extra.map((l) => `${l.name}://127.0.0.1:${l.port}`),
  ];
  const protocols = [
    'CONTROLLER:PLAINTEXT',
    'PLAINTEXT:PLAINTEXT',
    ...extra.map((l) => `${l.name}:${l.protocol}`),
  ];
  const props: Record<string, string> = {
    'process.roles': 'broker,controller',
    'node.id': String(node.id),
    'controller.quorum.voters': voters.map((v) => `${v.id}@127.0.0.1:${v.controllerPort}`).join(','),
    listeners: listeners.join(','),
    'advertised.listeners': advertised.join(','),
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'listener.security.protocol.map': protocols.join(','),
    'log.dirs': config.dataDir,
    'num.partitions': '1',
    'offsets.topic.num.partitions': String(OFFSETS_PARTITIONS),
    'transaction.state.log.num.partitions': '1',
    ...replicationDefaults(voters.length),
    ...SHARE_GROUP_SETTINGS,
    'group.initial.rebalance.delay.ms': '0',
    'group.consumer.session.timeout.ms': '45000',
    'group.min.session.timeout.ms': '1000',
    'auto.create.topics.enable': 'true',
    'delete.topic.enable': 'true',
    // Failover tests: a restarted node takes its leaderships back soon, replicas drop out quickly.
    'leader.imbalance.check.interval.seconds': '10',
    'replica.lag.time.max.ms': '10000',
    'log.flush.interval.messages': '9223372036854775807',
    ...config.properties,
  };
  return `${Object.entries(props)
    .map(([k, v]) => `${k}=${v}`)
    .join('\n')}\n`;
}

/** Java's String.hashCode, as Kafka uses it to place a group on a __consumer_offsets partition. */
export function javaStringHash(value: string): number {
  let hash = 0;
  for (let i = 0; i < value.length; i++) hash = (Math.imul(31, hash) + value.charCodeAt(i)) | 0;
  return hash;
}

/** The __consumer_offsets partition of a group (Kafka's Utils.abs(hashCode) % partitions). */
export function offsetsPartitionFor(groupId: string, partitions = OFFSETS_PARTITIONS): number {
  const hash = javaStringHash(groupId);
  return (hash === -2147483648 ? 0 : Math.abs(hash)) % partitions;
}
