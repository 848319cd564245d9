import { Kafka, logLevel } from 'kafkajs';

/** True when a metadata request (describeCluster) to `brokers` succeeds within `timeoutMs`. */
export async function metadataAnswers(brokers: string[], timeoutMs = 2000): Promise<boolean> {
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
    return cluster.brokers.length > 0;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
