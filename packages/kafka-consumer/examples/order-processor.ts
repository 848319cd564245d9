// Run against a local broker:
//   pnpm kafka                                   # in another terminal: a real broker on localhost:9092
//   KAFKA_BROKERS=localhost:9092 KAFKA_TOPICS=orders.placed KAFKA_GROUP_ID=order-processor \
//     node --import tsx packages/kafka-consumer/examples/order-processor.ts
// Ctrl-C (SIGINT) or SIGTERM drains in-flight orders, commits and exits 0 (70 if the drain timed out).
import { createConsumer, jsonCodec, loadOptionsFromEnv, NonRetryableError } from '../src/index.js';

interface Order {
  id: string;
  amount: number;
}

const isOrder = (value: unknown): value is Order =>
  typeof value === 'object' && value !== null && typeof (value as Order).id === 'string';

const consumer = createConsumer({
  ...loadOptionsFromEnv(),
  codec: jsonCodec,
  handler: async ({ value, attempt, signal, log, message }) => {
    if (!isOrder(value)) throw new NonRetryableError('not an order'); // straight to orders.placed.dlq
    log.info({ orderId: value.id, attempt, offset: message.offset }, 'processing order');
    await fetch('https://example.com/', { signal, method: 'HEAD' }).catch((error: unknown) => {
      throw new Error('downstream unavailable', { cause: error }); // retried with backoff, then DLQ
    });
  },
});

consumer.on('message.dead-lettered', (e) =>
  console.error(`dead-lettered ${e.topic}[${e.partition}]@${e.offset}`),
);
consumer.on('error', (e) => console.error('consumer error:', e.error.message));

await consumer.connect();
await consumer.run();
console.error('consuming; health:', consumer.health().status);
