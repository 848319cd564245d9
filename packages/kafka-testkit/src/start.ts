import { dockerAnswers, startDockerBroker } from './docker.js';
import { TestkitError } from './errors.js';
import { useExternalCluster } from './external.js';
import { startLocalBroker } from './local/broker.js';
import { startLocalCluster } from './local/cluster.js';
import type { BrokerMode, KafkaHandle, StartKafkaOptions } from './types.js';
import { DEFAULT_KAFKA_VERSION } from './versions.js';

/**
 * A real broker, chosen in this order: KAFKAKIT_TEST_BROKERS (use that cluster, start nothing), a Docker
 * engine that answers (Testcontainers, KRaft), else a local single-node KRaft JVM built from the
 * Apache Kafka jars on Maven Central. KAFKAKIT_BROKER_MODE=external|docker|local forces one.
 */
export async function startKafka(options: StartKafkaOptions = {}): Promise<KafkaHandle> {
  const env = process.env;
  const version = options.version ?? env.KAFKA_VERSION ?? DEFAULT_KAFKA_VERSION;
  const timeoutMs = options.startTimeoutMs ?? 120_000;
  const nodes = options.nodes ?? 1;
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > 5) {
    throw new TestkitError('BAD_NODES', `nodes must be an integer from 1 to 5, got ${nodes}`);
  }
  if (nodes > 1) {
    // A cluster whose nodes the test can kill: only the local JVMs give that control.
    return startLocalCluster({ version, nodes, heap: options.heap, startTimeoutMs: options.startTimeoutMs });
  }
  const mode =
    options.mode ?? (env.KAFKAKIT_BROKER_MODE as BrokerMode | undefined) ?? (await chooseMode(env));
  switch (mode) {
    case 'external':
      if (!env.KAFKAKIT_TEST_BROKERS) {
        throw new TestkitError(
          'BAD_TEST_BROKERS',
          'Broker mode "external" needs KAFKAKIT_TEST_BROKERS=host:port',
        );
      }
      return useExternalCluster(env.KAFKAKIT_TEST_BROKERS, timeoutMs);
    case 'docker':
      return startDockerBroker(version);
    case 'local':
      return startLocalBroker({ ...options, startTimeoutMs: timeoutMs }, version);
    default:
      throw new TestkitError(
        'BAD_BROKER_MODE',
        `KAFKAKIT_BROKER_MODE "${mode}" is not one of external, docker, local`,
      );
  }
}

async function chooseMode(env: NodeJS.ProcessEnv): Promise<BrokerMode> {
  if (env.KAFKAKIT_TEST_BROKERS) return 'external';
  if (await dockerAnswers(env)) return 'docker';
  return 'local';
}
