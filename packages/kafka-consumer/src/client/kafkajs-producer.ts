import { type IHeaders, type Kafka, Partitioners, type Producer } from 'kafkajs';
import type { DeadLetterProducer } from './port.js';

/** The dead-letter producer on KafkaJS. */
export class KafkaJsDeadLetterProducer implements DeadLetterProducer {
  readonly #producer: Producer;

  constructor(kafka: Kafka) {
    // Idempotent: a retried write after a lost acknowledgement is not written twice. Never creates
    // topics (the runtime checks them at connect).
    this.#producer = kafka.producer({
      createPartitioner: Partitioners.DefaultPartitioner,
      allowAutoTopicCreation: false,
      idempotent: true,
      maxInFlightRequests: 1,
      retry: { retries: 2, initialRetryTime: 100 },
    });
  }

  connect(): Promise<void> {
    return this.#producer.connect();
  }

  async send(
    topic: string,
    record: { key: Buffer | null; value: Buffer | null; headers: IHeaders },
  ): Promise<void> {
    await this.#producer.send({
      topic,
      acks: -1,
      messages: [{ key: record.key, value: record.value, headers: record.headers }],
    });
  }

  disconnect(): Promise<void> {
    return this.#producer.disconnect();
  }
}
