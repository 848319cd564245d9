import {
  type PostgresHandle,
  produceMessages,
  readCommittedOffsets,
  startPostgres,
  waitFor,
} from '@kafkakit/kafka-testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { createPostgresInbox } from '../../src/postgres/index.js';
import { count, pool } from './postgres-support.js';
import { brokers, cleanupTopic, consumer, record, topic } from './support.js';

// These tests stop their database: each gets its own local server (never the run's shared one).
const servers: PostgresHandle[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

async function ownServer() {
  const postgres = await startPostgres({ mode: 'local' });
  servers.push(postgres);
  const p = pool(postgres.url, { max: 8, connectionTimeoutMillis: 1000 });
  await p.query('create table effects (id text not null)');
  const inbox = createPostgresInbox({ pool: p, retention: false });
  await inbox.migrate();
  return { postgres, server: postgres.server as NonNullable<PostgresHandle['server']>, pool: p, inbox };
}

describe('the database stopped mid-stream (real broker, real server)', () => {
  it('waits for it with capped backoff, then applies everything: nothing lost, nothing dead-lettered, no retry budget spent', async () => {
    const { server, pool: p, inbox } = await ownServer();
    const source = await topic('kc-pg-outage', 4);
    cleanupTopic(`${source}.dlq`);
    await produceMessages(brokers(), source, 100);
    let applied = 0;
    const c = consumer({
      topics: [source],
      ordering: 'key',
      concurrency: 4,
      // One retry only: a failure that spent the budget would reach the DLQ within milliseconds.
      retry: {
        maxRetries: 1,
        initialDelayMs: 10,
        maxDelayMs: 20,
        unavailable: { initialDelayMs: 50, maxDelayMs: 400 },
      },
      handler: inbox.handler(async ({ tx, messageId }) => {
        await tx.query('insert into effects (id) values ($1)', [messageId]);
        await tx.query('select pg_sleep(0.005)');
        applied++;
      }),
    });
    const events = record(
      c,
      'message.waiting-for-dependency',
      'dependency.recovered',
      'message.retrying',
      'message.failed',
      'message.dead-lettered',
    );
    await c.run();
    await waitFor(() => applied >= 30, { message: '30 messages applied before the outage' });
    await server.stop();
    // The precondition: the runtime saw the database go and holds messages waiting for it.
    await waitFor(() => c.health().waitingForDependency.messages > 0, { message: 'messages waiting' });
    await produceMessages(brokers(), source, 100);
    await waitFor(() => events['message.waiting-for-dependency'].length >= 20, { message: '20 waits' });
    const during = c.health();
    expect(during.status).toBe('healthy');
    expect(during.waitingForDependency).toMatchObject({ dependencies: ['postgres'] });
    expect(during.waitingForDependency.since).toBeLessThanOrEqual(Date.now());
    expect(Math.max(...events['message.waiting-for-dependency'].map((e) => e.delayMs))).toBeLessThanOrEqual(
      400,
    );
    await server.start();
    await waitFor(async () => (await count(p, 'select count(*) n from effects')) === 200, {
      timeoutMs: 60_000,
      message: 'all 200 effects after the restart',
    });
    expect(await count(p, 'select count(distinct id) n from effects')).toBe(200);
    expect(await count(p, 'select count(*) n from kafka_inbox')).toBe(200);
    expect(events['message.failed']).toHaveLength(0);
    expect(events['message.dead-lettered']).toHaveLength(0);
    expect(events['message.retrying']).toHaveLength(0);
    expect(events['dependency.recovered'].length).toBeGreaterThan(0);
    await waitFor(() => c.health().waitingForDependency.messages === 0, { message: 'no wait left' });
    await waitFor(
      async () =>
        Object.values(await readCommittedOffsets(brokers(), c.options.groupId, source)).reduce(
          (a, o) => a + Number(o),
          0,
        ) === 200,
      { message: 'all 200 committed' },
    );
  });

  it('the drain still finishes while messages wait for the database: they stay uncommitted, none dead-lettered', async () => {
    const { server, inbox } = await ownServer();
    const source = await topic('kc-pg-outage-drain');
    cleanupTopic(`${source}.dlq`);
    await server.stop();
    await produceMessages(brokers(), source, 5);
    const c = consumer({
      topics: [source],
      retry: { maxRetries: 0, unavailable: { initialDelayMs: 5000, maxDelayMs: 5000 } },
      shutdown: { signals: [], drainTimeoutMs: 20_000 },
      handler: inbox.handler(async () => undefined),
    });
    const events = record(c, 'message.waiting-for-dependency', 'message.dead-lettered', 'message.failed');
    await c.run();
    await waitFor(() => events['message.waiting-for-dependency'].length > 0, {
      message: 'a message waiting',
    });
    const started = Date.now();
    const report = await c.disconnect();
    expect(Date.now() - started).toBeLessThan(5000);
    expect(report.drained).toBe(true);
    expect(events['message.dead-lettered']).toHaveLength(0);
    expect(events['message.failed']).toHaveLength(0);
    expect(Object.values(await readCommittedOffsets(brokers(), c.options.groupId, source))).toEqual(['-1']);
  });
});
