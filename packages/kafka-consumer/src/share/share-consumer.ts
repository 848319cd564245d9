import type { ConsumerDependencies, KafkaConsumer } from '../api.js';
import { createConsumer } from '../consumer.js';
import type { ConsumerOptions } from '../options.js';

/** What createShareConsumer takes: a consumer's options without those a share group has no use for. */
export type ShareConsumerOptions<T = Buffer | null> = Omit<ConsumerOptions<T>, 'groupType'>;

/**
 * A consumer of a share group (KIP-932, Kafka 4.2+): Kafka as a queue. The same handler, context,
 * retries, dead-letter queue, codec, events, health and drain as `createConsumer`; records are
 * acquired by this member and acknowledged one by one (success and dead-lettered: ACCEPT; out of
 * retries without a dead-letter queue: REJECT; unfinished at shutdown: RELEASE), and `ctx.attempt`
 * starts at the broker's delivery count. `commit`, `ordering` and `fromBeginning` are refused.
 */
export function createShareConsumer<T = Buffer | null>(
  options: ShareConsumerOptions<T>,
  dependencies: ConsumerDependencies = {},
): KafkaConsumer {
  return createConsumer<T>({ ...options, groupType: 'share' } as ConsumerOptions<T>, dependencies);
}
