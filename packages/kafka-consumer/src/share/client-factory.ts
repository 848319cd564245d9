import type { ClientFactory } from '../client/port.js';
import { type ResolvedOptions, shareBatchSize } from '../options.js';
import { ShareConsumerClient } from './consumer-client.js';

/**
 * The client port of a share consumer: the share-group client for consuming, the KafkaJS
 * producer and admin of `base` for the dead-letter queue and its topics.
 */
export function shareClientFactory(base: ClientFactory, options: ResolvedOptions<unknown>): ClientFactory {
  return {
    ...base,
    consumer: (o) =>
      new ShareConsumerClient(
        {
          brokers: options.brokers,
          clientId: options.clientId,
          ssl: options.ssl,
          sasl: options.sasl as never,
          logger: options.logger,
          groupId: o.groupId,
          topics: o.topics,
          maxWaitMs: o.maxWaitTimeMs,
          // What a fetch acquires is locked to this member until acknowledged: take about what the
          // handlers can start soon, not a whole buffer's worth.
          maxRecords: shareBatchSize(options.concurrency),
          batchSize: shareBatchSize(options.concurrency),
        },
        options.logger,
      ),
  };
}
