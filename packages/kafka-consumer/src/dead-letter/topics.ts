import type { TopicAdmin } from '../client/port.js';
import { ClientError, TopicMissingError, toError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { ResolvedOptions } from '../options.js';
import { deadLetterTopicFor } from './headers.js';

/** How the topics the runtime writes to (DLQ, retry tiers) are checked and created. */
export interface TopicSpec {
  /** 'dead-letter' or 'retry-tier': names them in messages and logs. */
  what: string;
  create: boolean;
  partitions: number;
  replicationFactor: number | undefined;
  /** How to turn creation on, e.g. `deadLetter.createTopics: true (KAFKA_DLQ_CREATE_TOPICS=true)`. */
  enable: string;
}

/**
 * Checks the dead-letter topics at connect: a missing one is created with an explicit partition
 * count and replication factor when `deadLetter.createTopics` is on; otherwise start-up fails naming
 * it. A DLQ write never creates a topic implicitly (with broker defaults).
 */
export async function ensureDeadLetterTopics(
  admin: TopicAdmin,
  options: ResolvedOptions<unknown>,
  logger: Logger,
): Promise<void> {
  const dl = options.deadLetter;
  if (dl === false) return;
  const wanted = [...new Set(options.topics.map((t) => deadLetterTopicFor(t, dl.topic)))];
  await ensureTopics(
    admin,
    wanted,
    {
      what: 'dead-letter',
      create: dl.createTopics,
      partitions: dl.partitions,
      replicationFactor: dl.replicationFactor,
      enable: 'deadLetter.createTopics: true (KAFKA_DLQ_CREATE_TOPICS=true)',
    },
    logger,
  );
}

/** Creates the missing ones of `wanted` (or, with `create` off, fails naming the first). */
export async function ensureTopics(
  admin: TopicAdmin,
  wanted: readonly string[],
  spec: TopicSpec,
  logger: Logger,
): Promise<void> {
  if (wanted.length === 0) return;
  let missing: string[];
  try {
    missing = await admin.missing(wanted);
  } catch (error) {
    throw new ClientError(`Could not check the ${spec.what} topics: ${toError(error).message}`, {
      cause: error,
      retriable: true,
    });
  }
  if (missing.length === 0) return;
  const label = `${spec.what[0]?.toUpperCase()}${spec.what.slice(1)}`;
  if (!spec.create) {
    const topic = missing[0] as string;
    throw new TopicMissingError(
      topic,
      `${label} topic "${topic}" does not exist${missing.length > 1 ? ` (nor ${missing.slice(1).join(', ')})` : ''}` +
        ' (or, on a cluster with ACLs, this principal may not DESCRIBE it: it needs DESCRIBE and WRITE on it). ' +
        `Create it (e.g. kafka-topics.sh --create --topic ${topic} --partitions ${spec.partitions} --replication-factor ${spec.replicationFactor ?? 3}) ` +
        `or set ${spec.enable}.`,
    );
  }
  try {
    const replicationFactor = spec.replicationFactor ?? Math.min(3, await admin.brokerCount());
    await admin.create(missing, { partitions: spec.partitions, replicationFactor });
  } catch (error) {
    const still = await admin.missing(missing).catch(() => missing);
    if (still.length > 0)
      throw new TopicMissingError(
        still[0] as string,
        `Could not create ${spec.what} topic(s) ${still.join(', ')}: ${toError(error).message}`,
        { cause: error },
      );
  }
  logger.info({ topics: missing, partitions: spec.partitions }, `${spec.what} topics created`);
}
