import type { Kafka } from 'kafkajs';

const CREATE_CLUSTER = 'private:Kafka:createCluster';

/**
 * KafkaJS builds every client's Cluster (brokers by node id, metadata, one connection pool per
 * broker with ApiVersions negotiated) with this private factory; no public client exposes it.
 * Returns undefined when this KafkaJS has no such factory (the callers say so, nothing is silent).
 */
export function kafkaJsClusterFactory(kafka: Kafka): ((options: object) => unknown) | undefined {
  const key = Object.getOwnPropertySymbols(kafka).find((s) => s.description === CREATE_CLUSTER);
  const create = key && (kafka as unknown as Record<symbol, unknown>)[key];
  return typeof create === 'function' ? (create as (options: object) => unknown) : undefined;
}
