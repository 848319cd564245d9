import type { Admin, Kafka } from 'kafkajs';
import type { TopicAdmin } from './port.js';

/** Topic checks on KafkaJS's admin client (connected on first use). */
export class KafkaJsTopicAdmin implements TopicAdmin {
  #admin: Admin | undefined;

  constructor(private readonly kafka: Kafka) {}

  async #connected(): Promise<Admin> {
    if (this.#admin === undefined) {
      const admin = this.kafka.admin();
      await admin.connect();
      this.#admin = admin;
    }
    return this.#admin;
  }

  async missing(topics: readonly string[]): Promise<string[]> {
    const existing = new Set(await (await this.#connected()).listTopics());
    return topics.filter((t) => !existing.has(t));
  }

  async brokerCount(): Promise<number> {
    return (await (await this.#connected()).describeCluster()).brokers.length;
  }

  async create(topics: readonly string[], spec: { partitions: number; replicationFactor: number }) {
    try {
      await (await this.#connected()).createTopics({
        waitForLeaders: true,
        topics: topics.map((topic) => ({
          topic,
          numPartitions: spec.partitions,
          replicationFactor: spec.replicationFactor,
        })),
      });
    } catch (error) {
      // KafkaJS reports per-topic failures inside an aggregate whose own message says nothing.
      const parts = (error as { errors?: Array<{ topic?: string; message?: string; type?: string }> }).errors;
      if (!Array.isArray(parts)) throw error;
      const detail = parts
        .map((e) => `${e.topic ?? '?'}: ${e.message ?? ''} (${e.type ?? 'unknown'})`)
        .join('; ');
      throw new Error(detail, { cause: error });
    }
  }

  async close(): Promise<void> {
    const admin = this.#admin;
    this.#admin = undefined;
    await admin?.disconnect();
  }
}
