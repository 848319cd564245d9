import { setTimeout as sleep } from 'node:timers/promises';
import type { TopicAdmin } from '../client/port.js';
import { ClientError, KafkaConsumerError, TopicMissingError, toError } from '../errors.js';
import type { Logger } from '../logger.js';

/**
 * What the consumer does at start when a source topic does not exist yet (KAFKA_MISSING_TOPICS):
 * 'wait' re-checks until every topic exists (a warning naming the missing ones every so often,
 * /readyz 503 with the reason), 'fail' stops the start with one error naming the topic and the
 * command that creates it. Without this, KafkaJS's subscribe fails with "This server does not
 * host this topic-partition".
 */
export type MissingTopicsMode = 'wait' | 'fail';

/** The default when none is set: wait while developing (topics are created by hand), fail in production. */
export function defaultMissingTopics(nodeEnv: string | undefined): MissingTopicsMode {
  return nodeEnv === 'production' ? 'fail' : 'wait';
}

export interface TopicWaitOptions {
  admin: TopicAdmin;
  topics: readonly string[];
  mode: MissingTopicsMode;
  logger: Logger;
  /** Aborted when the consumer starts stopping: the wait ends with it. */
  stopping: AbortSignal;
  /** How often the topics are looked up again. @default 1000 */
  checkEveryMs?: number;
  /** How often the warning is repeated while topics are missing. @default 30000 */
  warnEveryMs?: number;
}

/** The command that creates topics on the workspace's local broker (and the Kafka tool for any other). */
export function createCommand(topics: readonly string[]): string {
  return `pnpm kafka --topics ${topics.join(',')} (or kafka-topics.sh --create --topic ${topics[0]} ...)`;
}

/** Waits for the source topics (or fails), keeping the missing ones for health(). */
export class TopicWait {
  /** The source topics found missing at the last look-up; empty once they all exist. */
  #missing: readonly string[] = [];
  /** The topics missing at the first look-up: created while the start waited, so all they hold is new. */
  #appeared: string[] = [];

  constructor(private readonly options: TopicWaitOptions) {}

  get missing(): readonly string[] {
    return this.#missing;
  }

  /**
   * Topics that did not exist when the start began and do now: the consumer reads them from their
   * earliest offset (when the group has none), so a message written between the topic's creation
   * and the group join is not skipped by a "latest" start.
   */
  get appeared(): readonly string[] {
    return this.#appeared;
  }

  /** Resolves once every source topic exists; rejects in 'fail' mode, or when the consumer stops meanwhile. */
  async ready(): Promise<void> {
    const { mode, logger, stopping, checkEveryMs = 1000, warnEveryMs = 30_000 } = this.options;
    let warnedAt = Number.NEGATIVE_INFINITY;
    for (;;) {
      this.#missing = await this.#lookUp();
      if (warnedAt === Number.NEGATIVE_INFINITY && this.#missing.length > 0) {
        // A topic this principal may not see looks missing: let the subscribe report the ACL.
        const denied = (await this.options.admin.unauthorized?.(this.#missing).catch(() => [])) ?? [];
        this.#missing = this.#missing.filter((topic) => !denied.includes(topic));
        this.#appeared = [...this.#missing];
      }
      if (this.#missing.length === 0) {
        if (warnedAt > Number.NEGATIVE_INFINITY)
          logger.info({ topics: this.options.topics }, 'topics exist now');
        return;
      }
      const missing = [...this.#missing];
      if (mode === 'fail') {
        throw new TopicMissingError(
          missing[0] as string,
          `Topic(s) ${missing.join(', ')} do not exist; create them: ${createCommand(missing)}. ` +
            'KAFKA_MISSING_TOPICS=wait waits for them instead.',
        );
      }
      if (Date.now() - warnedAt >= warnEveryMs) {
        warnedAt = Date.now();
        logger.warn(
          { missingTopics: missing, create: createCommand(missing) },
          `waiting for topic(s) to exist: ${missing.join(', ')}`,
        );
      }
      try {
        await sleep(checkEveryMs, undefined, { signal: stopping });
      } catch (error) {
        throw new KafkaConsumerError(
          'STATE_INVALID',
          `stopped while waiting for topic(s) ${missing.join(', ')} to exist`,
          { cause: error },
        );
      }
    }
  }

  async #lookUp(): Promise<string[]> {
    try {
      return await this.options.admin.missing(this.options.topics);
    } catch (error) {
      throw new ClientError(`Could not look up the topics: ${toError(error).message}`, {
        cause: error,
        retriable: true,
      });
    }
  }
}
