import type { TopicAdmin } from '../client/port.js';
import { ensureTopics } from '../dead-letter/topics.js';
import { DEFAULTS } from '../defaults.js';
import type { Logger } from '../logger.js';
import type { ResolvedOptions } from '../options.js';
import type { RetryTiers } from './tiers.js';

/**
 * Checks the retry-tier topics at connect, like the DLQ topics: a missing one is created with the
 * DLQ's partitions and replication factor (`deadLetter.partitions`, `deadLetter.replicationFactor`;
 * their defaults with the DLQ off) unless `deadLetter.createTopics` is false, which fails start-up
 * naming it. A tier write never creates a topic implicitly.
 */
export function ensureRetryTierTopics(
  admin: TopicAdmin,
  options: ResolvedOptions<unknown>,
  tiers: RetryTiers | undefined,
  logger: Logger,
): Promise<void> {
  if (tiers === undefined) return Promise.resolve();
  const dl = options.deadLetter;
  return ensureTopics(
    admin,
    tiers.topics,
    {
      what: 'retry-tier',
      create: dl === false ? true : dl.createTopics,
      partitions: dl === false ? DEFAULTS.deadLetter.partitions : dl.partitions,
      replicationFactor: dl === false ? undefined : dl.replicationFactor,
      enable: 'deadLetter.createTopics: true (KAFKA_DLQ_CREATE_TOPICS=true)',
    },
    logger,
  );
}
