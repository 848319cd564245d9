import type { KafkaConsumer } from '../../api.js';
import type { Logger } from '../../logger.js';
import type { PartitionBook } from './partition-book.js';

/**
 * Reads end offsets and the group's committed offsets through the consumer's own client
 * (`consumer.readOffsets()`, its one admin connection), so lag stays current while the consumer
 * fetches nothing (idle, stuck, paused). Failures are logged at debug (the third in a row at warn)
 * and retried at the next refresh.
 */
export class LagRefresher {
  readonly #logger: Logger;
  #closed = false;
  #failures = 0;

  constructor(private readonly consumer: KafkaConsumer) {
    this.#logger = consumer.options.logger;
  }

  /** One refresh of every partition in the book. Never rejects. */
  async refresh(book: PartitionBook): Promise<void> {
    if (this.#closed || book.size === 0) return;
    const seqs = new Map([...book.all()].map((p) => [`${p.topic}\u0000${p.partition}`, p.commitSeq]));
    try {
      for (const o of await this.consumer.readOffsets()) {
        book.refreshed(o.topic, o.partition, { end: Number(o.end), start: Number(o.start) });
        book.refreshed(o.topic, o.partition, {
          committed: o.committed === null ? null : Number(o.committed),
          seq: seqs.get(`${o.topic}\u0000${o.partition}`),
        });
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
  }
}
