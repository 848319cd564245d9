import { describe, expect, it } from 'vitest';
import { dockerImageFor } from '../../src/docker.js';
import { parseBrokerList } from '../../src/external.js';
import { uniqueName } from '../../src/helpers.js';
import { clusterId, serverProperties } from '../../src/local/config.js';
import { pomFor } from '../../src/local/jars.js';
import { parseJavaMajor } from '../../src/local/java.js';
import { artifactsFor, DEFAULT_KAFKA_VERSION } from '../../src/versions.js';

describe('test kit pure parts', () => {
  it('renders a combined KRaft node that advertises only the client listener', () => {
    const props = serverProperties({ port: 1234, controllerPort: 5678 }, '/data');
    expect(props).toContain('advertised.listeners=PLAINTEXT://127.0.0.1:1234\n');
    expect(props).toContain('controller.quorum.voters=1@127.0.0.1:5678\n');
    expect(props).toContain('offsets.topic.num.partitions=1\n');
    expect(props).toContain('group.initial.rebalance.delay.ms=0\n');
    expect(props).not.toMatch(/advertised\.listeners=.*CONTROLLER/);
  });

  it('makes 22-character cluster ids that never start with a dash', () => {
    expect(clusterId(new Uint8Array(16).fill(0xfb))).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
    expect(clusterId(new Uint8Array(16))).toHaveLength(22);
  });

  it('pins 4.4.0 by default with log4j2, and reload4j for 3.x', () => {
    expect(DEFAULT_KAFKA_VERSION).toBe('4.4.0');
    expect(artifactsFor('4.4.0').logging).toBe('log4j2');
    expect(artifactsFor('3.9.1').dependencies).toContain('ch.qos.reload4j:reload4j:1.2.25');
    expect(pomFor('4.4.0')).toContain('<artifactId>kafka_2.13</artifactId><version>4.4.0</version>');
    expect(() => artifactsFor('latest')).toThrow(/KAFKA_VERSION "latest" is not a release number/);
    expect(() => artifactsFor('2.8.0')).toThrow(/not supported/);
  });

  it('reads the Java major version from `java -version` output', () => {
    expect(parseJavaMajor('openjdk version "17.0.15" 2025-04-15')).toBe(17);
    expect(parseJavaMajor('java version "1.8.0_402"')).toBe(8);
    expect(parseJavaMajor('nothing here')).toBeUndefined();
  });

  it('parses KAFKAKIT_TEST_BROKERS and names a bad entry', () => {
    expect(parseBrokerList(' a:1, b:2 ')).toEqual(['a:1', 'b:2']);
    expect(() => parseBrokerList('a:1,nope')).toThrow(/"nope" is not host:port/);
    expect(() => parseBrokerList(' , ')).toThrow(/empty/);
  });

  it('maps versions to Docker images, overridable', () => {
    expect(dockerImageFor('3.9.1', {})).toBe('confluentinc/cp-kafka:7.9.0');
    expect(dockerImageFor('4.4.0', { KAFKA_DOCKER_IMAGE: 'x/y:1' })).toBe('x/y:1');
  });

  it('makes unique names that are valid topic names', () => {
    const a = uniqueName('orders');
    expect(a).toMatch(/^orders-[a-z0-9]+-[0-9a-f]{6}$/);
    expect(uniqueName('orders')).not.toBe(a);
  });
});

describe('three-node cluster config', () => {
  it('renders each node with the shared quorum and replication factor 3, min.insync.replicas 2', async () => {
    const { clusterNodeProperties } = await import('../../src/local/cluster-config.js');
    const voters = [1, 2, 3].map((id) => ({ id, port: 9000 + id, controllerPort: 9100 + id }));
    const props = clusterNodeProperties({
      node: voters[1] as (typeof voters)[number],
      voters,
      dataDir: '/d',
    });
    expect(props).toContain('node.id=2\n');
    expect(props).toContain('controller.quorum.voters=1@127.0.0.1:9101,2@127.0.0.1:9102,3@127.0.0.1:9103\n');
    expect(props).toContain('advertised.listeners=PLAINTEXT://127.0.0.1:9002\n');
    expect(props).toContain('default.replication.factor=3\n');
    expect(props).toContain('min.insync.replicas=2\n');
    expect(props).toContain('offsets.topic.replication.factor=3\n');
  });

  it("places a group like Kafka does: Java's String.hashCode, abs, modulo the partitions", async () => {
    const { javaStringHash, offsetsPartitionFor } = await import('../../src/local/cluster-config.js');
    expect(javaStringHash('hello')).toBe(99162322);
    expect(javaStringHash('polygenelubricants')).toBe(-2147483648);
    expect(offsetsPartitionFor('polygenelubricants', 3)).toBe(0);
    expect(offsetsPartitionFor('hello', 3)).toBe(99162322 % 3);
  });
});
