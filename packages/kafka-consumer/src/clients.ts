import { createKafkaJsFactory } from './client/kafkajs.js';
import type { ClientFactory, ConsumerClient, TopicAdmin } from './client/port.js';
import { DeadLetterPublisher } from './dead-letter/publisher.js';
import type { ResolvedOptions } from './options.js';
import { shareClientFactory } from './share/client-factory.js';

/** The consumer client, the dead-letter publisher (none with `deadLetter: false`) and a topic admin. */
export function createClients<T>(
  options: ResolvedOptions<T>,
  clientFactory: ClientFactory | undefined,
): { client: ConsumerClient; publisher: DeadLetterPublisher | undefined; admin: TopicAdmin } {
  const { logger } = options;
  const kafkajs = () =>
    createKafkaJsFactory({
      brokers: options.brokers,
      clientId: options.clientId,
      ssl: options.ssl,
      sasl: options.sasl as never,
      logger,
      joinHoldMs: options.rebalanceTimeoutMs,
    });
  const factory =
    clientFactory ??
    (options.groupType === 'share'
      ? shareClientFactory(kafkajs(), options as ResolvedOptions<unknown>)
      : kafkajs());
  const client = factory.consumer({
    groupId: options.groupId,
    topics: options.topics,
    fromBeginning: options.fromBeginning,
    // A batch call only hands messages over to the scheduler (every ordering): one at a time is enough.
    partitionsConsumedConcurrently: 1,
    sessionTimeoutMs: options.sessionTimeoutMs,
    heartbeatIntervalMs: options.heartbeatIntervalMs,
    rebalanceTimeoutMs: options.rebalanceTimeoutMs,
    maxWaitTimeMs: options.maxWaitTimeMs,
  });
  const publisher =
    options.deadLetter === false
      ? undefined
      : new DeadLetterPublisher(
          factory.producer(),
          {
            topic: options.deadLetter.topic,
            writeAttempts: options.deadLetter.writeAttempts,
            groupId: options.groupId,
          },
          logger,
        );
  return { client, publisher, admin: factory.admin() };
}
