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

  async unauthorized(topics: readonly string[]): Promise<string[]> {
    // One metadata request per topic, no retries (a missing topic is retriable for KafkaJS); the
    // admin never creates topics (KafkaJS's admin has auto-creation off).
    const admin = this.kafka.admin({ retry: { retries: 0 } });
    await admin.connect();
    try {
      const denied: string[] = [];
      for (const topic of topics) {
        const error = await admin.fetchTopicMetadata({ topics: [topic] }).then(
          () => undefined,
          (caught: unknown) => caught,
        );
        if (errorTypes(error).includes('TOPIC_AUTHORIZATION_FAILED')) denied.push(topic);
      }
      return denied;
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
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

/** The KafkaJS error types along an error's wrappers (retry wrappers keep the original). */
function errorTypes(error: unknown): string[] {
  const types: string[] = [];
  for (let e = error as { type?: unknown; originalError?: unknown; cause?: unknown } | undefined; e; ) {
    if (typeof e.type === 'string') types.push(e.type);
    e = (e.originalError ?? e.cause) as typeof e;
    if (types.length > 8) break;
  }
  return types;
}
