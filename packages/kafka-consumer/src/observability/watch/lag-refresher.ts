import { type Admin, Kafka, type KafkaConfig, logLevel } from 'kafkajs';
import type { Logger } from '../../logger.js';
import type { ResolvedOptions } from '../../options.js';
import type { PartitionBook } from './partition-book.js';

/**
 * Reads end offsets and the group's committed offsets through a KafkaJS admin client built from
 * the consumer's own connection options, so lag stays current while the consumer fetches nothing
 * (idle, stuck, paused). Failures are logged at debug and retried at the next refresh.
 */
export class LagRefresher {
  readonly #kafka: Kafka;
  readonly #logger: Logger;
  readonly #groupId: string;
  #admin: Admin | undefined;
  #connecting: Promise<Admin> | undefined;
  #closed = false;
  #failures = 0;

  constructor(options: Readonly<ResolvedOptions<unknown>>) {
    this.#logger = options.logger;
    this.#groupId = options.groupId;
    const logger = options.logger;
    this.#kafka = new Kafka({
      brokers: options.brokers,
      clientId: `${options.clientId}-lag`,
      ssl: options.ssl,
      sasl: options.sasl as KafkaConfig['sasl'],
      logLevel: logLevel.ERROR,
      logCreator:
        () =>
        ({ log }) => {
          const { message, timestamp: _t, logger: _l, ...rest } = log;
          logger.debug({ kafkajs: true, lag: true, ...rest }, message);
        },
      retry: { retries: 1 },
    });
  }

  async #connected(): Promise<Admin> {
    if (this.#admin !== undefined) return this.#admin;
    this.#connecting ??= (async () => {
      const admin = this.#kafka.admin();
      await admin.connect();
      if (this.#closed) {
        await admin.disconnect();
        throw new Error('lag refresher closed');
      }
      this.#admin = admin;
      return admin;
    })();
    try {
      return await this.#connecting;
    } finally {
      this.#connecting = undefined;
    }
  }

  /** One refresh of every partition in the book. Never rejects. */
  async refresh(book: PartitionBook): Promise<void> {
    if (this.#closed || book.size === 0) return;
    const topics = [...new Set([...book.all()].map((p) => p.topic))];
    const seqs = new Map([...book.all()].map((p) => [`${p.topic}\u0000${p.partition}`, p.commitSeq]));
    try {
      const admin = await this.#connected();
      const [ends, committed] = await Promise.all([
        Promise.all(topics.map(async (topic) => ({ topic, offsets: await admin.fetchTopicOffsets(topic) }))),
        admin.fetchOffsets({ groupId: this.#groupId, topics }),
      ]);
      for (const { topic, offsets } of ends) {
        for (const o of offsets) {
          book.refreshed(topic, o.partition, { end: Number(o.high), start: Number(o.low) });
        }
      }
      for (const { topic, partitions } of committed) {
        for (const p of partitions) {
          const value = Number(p.offset);
          book.refreshed(topic, p.partition, {
            committed: value < 0 ? null : value,
            seq: seqs.get(`${topic}\u0000${p.partition}`),
          });
        }
      }
      this.#failures = 0;
    } catch (error) {
      this.#failures++;
      const log = this.#failures === 3 ? this.#logger.warn : this.#logger.debug;
      log.call(this.#logger, { err: error, failures: this.#failures }, 'consumer lag refresh failed');
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    const admin = this.#admin;
    this.#admin = undefined;
    if (admin !== undefined) await admin.disconnect().catch(() => undefined);
  }
}
