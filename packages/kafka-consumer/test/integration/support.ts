import { createTopic, deleteTopics, uniqueName } from '@kafkakit/kafka-testkit';
import type {} from '@kafkakit/kafka-testkit/vitest-setup';
import { afterEach, inject } from 'vitest';
import {
  type ConsumerDependencies,
  type ConsumerEvents,
  type ConsumerOptions,
  createConsumer,
  createJsonLogger,
  type EventName,
  type KafkaConsumer,
  noopLogger,
} from '../../src/index.js';

export const brokers = (): string[] => inject('kafkaBrokers');

/** Set KC_TEST_LOG=debug to see the runtime's logs while debugging a test. */
const logger =
  process.env.KC_TEST_LOG === undefined
    ? noopLogger
    : createJsonLogger({ level: process.env.KC_TEST_LOG as 'debug' });

const consumers: KafkaConsumer[] = [];
const topics: string[] = [];

afterEach(async () => {
  await Promise.all(consumers.splice(0).map((c) => c.disconnect().catch(() => undefined)));
  const created = topics.splice(0);
  if (created.length > 0) await deleteTopics(brokers(), created).catch(() => undefined);
});

/** Creates a topic (cleaned up after the test) and returns its name. */
export async function topic(
  prefix: string,
  partitions = 1,
  config: Record<string, string> = {},
): Promise<string> {
  const name = uniqueName(prefix);
  await createTopic(brokers(), name, partitions, config);
  topics.push(name);
  return name;
}

/** Registers a topic the runtime creates by itself (DLQ) for cleanup. */
export function cleanupTopic(name: string): void {
  topics.push(name);
}

/** Fast-test defaults: short session, quick retries, no signal handling; disconnected after the test. */
export function consumer<T = Buffer | null>(
  options: Partial<ConsumerOptions<T>> & Pick<ConsumerOptions<T>, 'topics' | 'handler'>,
  dependencies?: ConsumerDependencies,
): KafkaConsumer {
  const c = createConsumer<T>(
    {
      brokers: brokers(),
      groupId: uniqueName('kc-group'),
      fromBeginning: true,
      sessionTimeoutMs: 6000,
      heartbeatIntervalMs: 500,
      maxWaitTimeMs: 200,
      retry: { maxRetries: 3, initialDelayMs: 10, maxDelayMs: 50 },
      shutdown: { signals: [], drainTimeoutMs: 3000 },
      logger,
      ...options,
    } as ConsumerOptions<T>,
    dependencies,
  );
  consumers.push(c);
  return c;
}

/** Records every payload of the given events. */
export function record<K extends EventName>(
  c: KafkaConsumer,
  ...names: K[]
): { [P in K]: Array<ConsumerEvents[P]> } {
  const out = {} as { [P in K]: Array<ConsumerEvents[P]> };
  for (const name of names) {
    const list: Array<ConsumerEvents[K]> = [];
    (out as Record<string, unknown>)[name] = list;
    c.on(name, (payload) => list.push(payload));
  }
  return out;
}

export const text = (value: Buffer | string | null | undefined): string | undefined =>
  value === null || value === undefined ? undefined : value.toString();
