import { createKafkaJsFactory } from './client/kafkajs.js';
import type { ClientFactory, ConsumerClient, TopicAdmin } from './client/port.js';
import { DeadLetterPublisher } from './dead-letter/publisher.js';
import { DEFAULTS } from './defaults.js';
import type { ResolvedOptions } from './options.js';
import { RetryTiers } from './retry-tiers/tiers.js';
import { TierWriter } from './retry-tiers/writer.js';
import { shareClientFactory } from './share/client-factory.js';

/** The retry tiers and their writer (their own producer); undefined without `retry.topics`. */
export interface TierParts {
  model: RetryTiers;
  writer: TierWriter;
}

/**
 * The consumer client (subscribed to the source topics and their retry tiers), the dead-letter
 * publisher (none with `deadLetter: false`), the retry-tier writer and a topic admin.
 */
export function createClients<T>(
  options: ResolvedOptions<T>,
  clientFactory: ClientFactory | undefined,
): {
  client: ConsumerClient;
  publisher: DeadLetterPublisher | undefined;
  tiers: TierParts | undefined;
  admin: TopicAdmin;
} {
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
  const model =
    options.retry.topics.length === 0
      ? undefined
      : new RetryTiers(options.topics, options.groupId, options.retry.topics);
  const client = factory.consumer({
    groupId: options.groupId,
    topics: model === undefined ? options.topics : [...options.topics, ...model.topics],
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
  const dl = options.deadLetter;
  const tiers =
    model === undefined
      ? undefined
      : {
          model,
          writer: new TierWriter(
            factory.producer(),
            {
              writeAttempts: dl === false ? DEFAULTS.deadLetter.writeAttempts : dl.writeAttempts,
              groupId: options.groupId,
            },
            logger,
          ),
        };
  return { client, publisher, tiers, admin: factory.admin() };
}
