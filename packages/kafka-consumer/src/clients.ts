import { createKafkaJsFactory } from './client/kafkajs.js';
import type { ClientFactory, ConsumerClient } from './client/port.js';
import { DeadLetterPublisher } from './dead-letter/publisher.js';
import type { ResolvedOptions } from './options.js';

/** The consumer client and the dead-letter publisher (none with `deadLetter: false`) for these options. */
export function createClients<T>(
  options: ResolvedOptions<T>,
  clientFactory: ClientFactory | undefined,
): { client: ConsumerClient; publisher: DeadLetterPublisher | undefined } {
  const { logger } = options;
  const factory =
    clientFactory ??
    createKafkaJsFactory({
      brokers: options.brokers,
      clientId: options.clientId,
      ssl: options.ssl,
      sasl: options.sasl,
      logger,
    });
  const client = factory.consumer({
    groupId: options.groupId,
    topics: options.topics,
    fromBeginning: options.fromBeginning,
    concurrency: options.concurrency,
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
  return { client, publisher };
}
