import { TestkitError } from './errors.js';
import { metadataAnswers } from './probe.js';
import type { KafkaHandle } from './types.js';

export function parseBrokerList(value: string): string[] {
  const brokers = value
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  for (const broker of brokers) {
    if (!/^[^\s:]+:\d{1,5}$/.test(broker)) {
      throw new TestkitError(
        'BAD_TEST_BROKERS',
        `KAFKAKIT_TEST_BROKERS entry "${broker}" is not host:port (e.g. localhost:9092)`,
      );
    }
  }
  if (brokers.length === 0)
    throw new TestkitError('BAD_TEST_BROKERS', 'KAFKAKIT_TEST_BROKERS is empty: set it to host:port');
  return brokers;
}

/** Uses an existing cluster named by KAFKAKIT_TEST_BROKERS; starts and stops nothing. */
export async function useExternalCluster(value: string, timeoutMs: number): Promise<KafkaHandle> {
  const started = Date.now();
  const brokers = parseBrokerList(value);
  const deadline = started + timeoutMs;
  while (!(await metadataAnswers(brokers, 2000))) {
    if (Date.now() > deadline) {
      throw new TestkitError(
        'BROKER_UNREACHABLE',
        `KAFKAKIT_TEST_BROKERS=${value} does not answer a metadata request: start that cluster or unset KAFKAKIT_TEST_BROKERS`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return {
    brokers,
    version: process.env.KAFKA_VERSION ?? 'external',
    mode: 'external',
    startupMs: Date.now() - started,
    stop: async () => undefined,
  };
}
