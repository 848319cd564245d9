import type { TopicAdmin } from '../client/port.js';
import { ClientError, TopicMissingError, toError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { ResolvedOptions } from '../options.js';
import { deadLetterTopicFor } from './headers.js';

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
  let missing: string[];
  try {
    missing = await admin.missing(wanted);
  } catch (error) {
    throw new ClientError(`Could not check the dead-letter topics: ${toError(error).message}`, {
      cause: error,
      retriable: true,
    });
  }
  if (missing.length === 0) return;
  if (!dl.createTopics) {
    const topic = missing[0] as string;
    throw new TopicMissingError(
      topic,
      `Dead-letter topic "${topic}" does not exist${missing.length > 1 ? ` (nor ${missing.slice(1).join(', ')})` : ''}` +
        ' (or, on a cluster with ACLs, this principal may not DESCRIBE it: it needs DESCRIBE and WRITE on it). ' +
        `Create it (e.g. kafka-topics.sh --create --topic ${topic} --partitions ${dl.partitions} --replication-factor ${dl.replicationFactor ?? 3}) ` +
        'or set deadLetter.createTopics: true (KAFKA_DLQ_CREATE_TOPICS=true).',
    );
  }
  try {
    const replicationFactor = dl.replicationFactor ?? Math.min(3, await admin.brokerCount());
    await admin.create(missing, { partitions: dl.partitions, replicationFactor });
  } catch (error) {
    const still = await admin.missing(missing).catch(() => missing);
    if (still.length > 0)
      throw new TopicMissingError(
        still[0] as string,
        `Could not create dead-letter topic(s) ${still.join(', ')}: ${toError(error).message}`,
        { cause: error },
      );
  }
  logger.info({ topics: missing, partitions: dl.partitions }, 'dead-letter topics created');
}
