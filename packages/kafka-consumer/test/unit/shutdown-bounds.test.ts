import { describe, expect, it } from 'vitest';
import { createKafkaJsFactory } from '../../src/client/kafkajs.js';
import {
  CommitError,
  createConsumer,
  NonRetryableError,
  noopLogger,
  STOP_BOUND_MS,
} from '../../src/index.js';
import { fakeClient, options } from './support/fake-client.js';

describe('shutdown bounds', () => {
  it('a dead-letter write still in flight at the drain deadline is abandoned: disconnect ends within drainTimeoutMs + STOP_BOUND_MS', async () => {
    const fake = fakeClient();
    const producer = fake.factory.producer();
    let writes = 0;
    producer.send = () => {
      writes++;
      return new Promise<void>(() => undefined); // a broker that never answers
    };
    const drainTimeoutMs = 200;
    const c = createConsumer(
      options(
        () => {
          throw new NonRetryableError('bad');
        },
        { shutdown: { signals: [], drainTimeoutMs } },
      ),
      { clientFactory: fake.factory },
    );
    await c.run();
    const batch = fake.hooks().onBatch(fake.batch([0]));
    await expect.poll(() => writes).toBe(1);
    const started = Date.now();
    const report = await c.disconnect();
    expect(Date.now() - started).toBeLessThan(drainTimeoutMs + STOP_BOUND_MS);
    expect(report.drained).toBe(false);
    await batch;
    // The message was neither finished nor committed: it is redelivered.
    expect(fake.commits).toEqual([]);
  });
});

describe('KafkaJS adapter', () => {
  it('a commit without a live group session is refused, never reported as done', async () => {
    const factory = createKafkaJsFactory({
      brokers: ['127.0.0.1:1'],
      clientId: 'c',
      ssl: undefined,
      sasl: undefined,
      logger: noopLogger,
      joinHoldMs: 1000,
    });
    const client = factory.consumer({
      groupId: 'g',
      topics: ['t'],
      fromBeginning: false,
      partitionsConsumedConcurrently: 1,
      sessionTimeoutMs: 10_000,
      heartbeatIntervalMs: 1000,
      rebalanceTimeoutMs: 10_000,
      maxWaitTimeMs: 100,
    });
    await expect(
      client.commit([{ topic: 't', partition: 0, offset: '5', metadata: null }]),
    ).rejects.toBeInstanceOf(CommitError);
  });
});
