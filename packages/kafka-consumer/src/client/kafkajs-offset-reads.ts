import type { Admin, Kafka } from 'kafkajs';
import { ClientError } from '../errors.js';
import type { TopicPartition } from '../types.js';
import type { CommittedOffset, EndOffsets } from './port.js';

/** The group's committed offsets and the log ends, through one admin client for the consumer's life. */
export class KafkaJsOffsetReads {
  #admin: Promise<Admin> | undefined;

  constructor(
    private readonly kafka: Kafka,
    private readonly groupId: string,
    private readonly stopped: () => boolean,
  ) {}

  #connectedAdmin(): Promise<Admin> {
    if (this.stopped())
      return Promise.reject(new ClientError('the consumer client is stopped', { retriable: true }));
    this.#admin ??= (async () => {
      const admin = this.kafka.admin();
      await admin.connect();
      return admin;
    })();
    const pending = this.#admin;
    pending.catch(() => {
      if (this.#admin === pending) this.#admin = undefined;
    });
    return pending;
  }

  async committed(partitions: readonly TopicPartition[]): Promise<CommittedOffset[]> {
    if (partitions.length === 0) return [];
    const admin = await this.#connectedAdmin();
    const topics = [...new Set(partitions.map((p) => p.topic))];
    const result = await admin.fetchOffsets({ groupId: this.groupId, topics });
    const out: CommittedOffset[] = [];
    for (const { topic, partitions: list } of result)
      for (const { partition, offset, metadata } of list)
        out.push({ topic, partition, offset, metadata: metadata ?? null });
    return out;
  }

  async endOffsets(topics: readonly string[]): Promise<EndOffsets[]> {
    const admin = await this.#connectedAdmin();
    const out: EndOffsets[] = [];
    for (const topic of topics)
      for (const { partition, low, high } of await admin.fetchTopicOffsets(topic))
        out.push({ topic, partition, start: low, end: high });
    return out;
  }

  async close(): Promise<void> {
    const admin = this.#admin;
    this.#admin = undefined;
    if (admin !== undefined) await admin.then((a) => a.disconnect()).catch(() => undefined);
  }
}
