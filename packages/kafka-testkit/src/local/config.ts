/** Pure renderers for the single-node KRaft broker's configuration files. */

export interface BrokerPorts {
  readonly port: number;
  readonly controllerPort: number;
}

/**
 * Share groups (KIP-932) need no switch on a new 4.2+ cluster: the storage format finalizes
 * `share.version` at its newest level (2 on 4.4; `startKafka({ shareGroups: false })` formats with
 * 0 instead). These only make tests fast: one share-state partition instead of 50, a member's
 * first assignment after 1 s instead of 5 s (the coordinator hands it out on the heartbeat after
 * the join), and group-level `share.record.lock.duration.ms` allowed down to 1 s for lock tests
 * (the default lock stays 30 s).
 */
export const SHARE_GROUP_SETTINGS: Readonly<Record<string, string>> = {
  'share.coordinator.state.topic.num.partitions': '1',
  'group.share.heartbeat.interval.ms': '1000',
  'group.share.min.heartbeat.interval.ms': '500',
  'group.share.min.record.lock.duration.ms': '1000',
};

export function serverProperties(ports: BrokerPorts, dataDir: string): string {
  const { port, controllerPort } = ports;
  return [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    `log.dirs=${dataDir}`,
    'num.partitions=1',
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=1',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'transaction.state.log.num.partitions=1',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    ...Object.entries(SHARE_GROUP_SETTINGS).map(([k, v]) => `${k}=${v}`),
    'group.initial.rebalance.delay.ms=0',
    'group.consumer.session.timeout.ms=45000',
    'group.min.session.timeout.ms=1000',
    'auto.create.topics.enable=true',
    'delete.topic.enable=true',
    'log.flush.interval.messages=9223372036854775807',
    '',
  ].join('\n');
}

export function log4j2Properties(): string {
  return [
    'status = error',
    'appender.out.type = Console',
    'appender.out.name = OUT',
    'appender.out.layout.type = PatternLayout',
    'appender.out.layout.pattern = [%d] %p %m (%c)%n',
    'rootLogger.level = WARN',
    'rootLogger.appenderRef.out.ref = OUT',
    'logger.server.name = kafka.server.KafkaRaftServer',
    'logger.server.level = INFO',
    'logger.broker.name = kafka.server.BrokerServer',
    'logger.broker.level = INFO',
    '',
  ].join('\n');
}

export function log4j1Properties(): string {
  return [
    'log4j.rootLogger=WARN, out',
    'log4j.appender.out=org.apache.log4j.ConsoleAppender',
    'log4j.appender.out.layout=org.apache.log4j.PatternLayout',
    'log4j.appender.out.layout.ConversionPattern=[%d] %p %m (%c)%n',
    'log4j.logger.kafka.server.KafkaRaftServer=INFO',
    'log4j.logger.kafka.server.BrokerServer=INFO',
    '',
  ].join('\n');
}

/** A KRaft cluster id: 16 random bytes, base64url without padding, never starting with '-'. */
export function clusterId(randomBytes: Uint8Array): string {
  const id = Buffer.from(randomBytes).toString('base64url').slice(0, 22);
  return id.startsWith('-') ? `A${id.slice(1)}` : id;
}
