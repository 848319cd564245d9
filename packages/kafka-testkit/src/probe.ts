import { Kafka, logLevel } from 'kafkajs';

/** True when a metadata request (describeCluster) to `brokers` succeeds within `timeoutMs`. */
export async function metadataAnswers(brokers: string[], timeoutMs = 2000): Promise<boolean> {
  return (await clusterIdOf(brokers, timeoutMs)) !== undefined;
}

/** The cluster id a metadata request returns, or undefined when nobody answers in time. */
export async function clusterIdOf(brokers: string[], timeoutMs = 2000): Promise<string | undefined> {
  const kafka = new Kafka({
    brokers,
    clientId: 'kafkakit-probe',
    logLevel: logLevel.NOTHING,
    connectionTimeout: timeoutMs,
    requestTimeout: timeoutMs,
    retry: { retries: 0 },
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return cluster.brokers.length > 0 ? cluster.clusterId : undefined;
  } catch {
    return undefined;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
