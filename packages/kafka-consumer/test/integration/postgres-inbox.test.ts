import { produceMessages, readCommittedOffsets, testClient, waitFor } from '@kafkakit/kafka-testkit';
import { describe, expect, it } from 'vitest';
import { createPostgresInbox, type DuplicateSkipped } from '../../src/postgres/index.js';
import { count, effectsTable, pool, table } from './postgres-support.js';
import { brokers, cleanupTopic, consumer, record, topic } from './support.js';

async function resetToEarliest(groupId: string, source: string): Promise<void> {
  const admin = testClient(brokers()).admin();
  await admin.connect();
  try {
    await admin.resetOffsets({ groupId, topic: source, earliest: true });
  } finally {
    await admin.disconnect();
  }
}

describe('PostgreSQL inbox (real broker, real server)', () => {
  it('migrate() is idempotent and creates the table with its primary key and handled_at index', async () => {
    const p = pool();
    const inbox = createPostgresInbox({ pool: p, table: table('inbox'), retention: false });
    await expect(inbox.check()).rejects.toThrow(/does not exist: run the migration \(inbox\.migrate\(\)/);
    await Promise.all([inbox.migrate(), inbox.migrate(), inbox.migrate()]);
    await inbox.migrate();
    await inbox.check();
    const { rows } = await p.query<{ indexdef: string }>(
      'select indexdef from pg_indexes where tablename = $1 order by indexname',
      [inbox.table],
    );
    expect(rows.map((r) => r.indexdef)).toEqual([
      expect.stringMatching(/USING btree \(handled_at\)$/),
      expect.stringMatching(/UNIQUE INDEX .* USING btree \(group_id, message_id\)$/),
    ]);
  });

  it('a redelivered message (group offsets reset with the admin API) produces exactly one effect row', async () => {
    const p = pool();
    const effects = await effectsTable(p);
    const inbox = createPostgresInbox({ pool: p, table: table('inbox'), retention: false });
    await inbox.migrate();
    const source = await topic('kc-inbox-redeliver', 2);
    await produceMessages(brokers(), source, 20);
    const calls: string[] = [];
    const handler = inbox.handler(async ({ tx, messageId }) => {
      calls.push(messageId);
      await tx.query(`insert into "${effects}" (id) values ($1)`, [messageId]);
    });
    const first = consumer({ topics: [source], handler });
    await first.run();
    await waitFor(async () => (await count(p, `select count(*) n from "${effects}"`)) === 20, {
      message: 'the 20 effects',
    });
    await first.disconnect();
    const groupId = first.options.groupId;
    const duplicates: DuplicateSkipped[] = [];
    inbox.onDuplicate((d) => duplicates.push(d));
    await resetToEarliest(groupId, source);
    const second = consumer({ topics: [source], groupId, handler });
    const processed = record(second, 'message.processed');
    await second.run();
    // The precondition: every message came again (processed a second time, as a skipped duplicate).
    await waitFor(() => duplicates.length === 20, { message: '20 duplicates skipped' });
    expect(processed['message.processed']).toHaveLength(20);
    expect(calls).toHaveLength(20);
    expect(await count(p, `select count(*) n from "${effects}"`)).toBe(20);
    expect(await count(p, `select count(distinct id) n from "${effects}"`)).toBe(20);
    expect(await count(p, `select count(*) n from "${inbox.table}" where group_id = $1`, [groupId])).toBe(20);
    expect(duplicates[0]).toMatchObject({ groupId, topic: source });
    await waitFor(
      async () =>
        Object.values(await readCommittedOffsets(brokers(), groupId, source)).reduce(
          (a, o) => a + Number(o),
          0,
        ) === 20,
      { message: 'the redeliveries committed' },
    );
  });

  it('a handler that throws rolls back its effect and the inbox row: the retry applies it once; retries exhausted go to the DLQ with no row', async () => {
    const p = pool();
    const effects = await effectsTable(p);
    const inbox = createPostgresInbox({ pool: p, table: table('inbox'), retention: false });
    await inbox.migrate();
    const source = await topic('kc-inbox-throw');
    cleanupTopic(`${source}.dlq`);
    await produceMessages(brokers(), source, [{ value: 'flaky' }, { value: 'poison' }]);
    const c = consumer({
      topics: [source],
      retry: { maxRetries: 2, initialDelayMs: 10, maxDelayMs: 20 },
      handler: inbox.handler(async ({ tx, messageId, value, attempt }) => {
        await tx.query(`insert into "${effects}" (id) values ($1)`, [messageId]);
        if (String(value) === 'poison' || attempt === 1) throw new Error(`fails on attempt ${attempt}`);
      }),
    });
    const events = record(c, 'message.retrying', 'message.dead-lettered');
    await c.run();
    await waitFor(() => events['message.dead-lettered'].length === 1, {
      message: 'the poison dead-lettered',
    });
    expect(events['message.retrying'].map((e) => [e.offset, e.attempt])).toEqual([
      ['0', 1],
      ['1', 1],
      ['1', 2],
    ]);
    const { rows } = await p.query<{ id: string }>(`select id from "${effects}"`);
    expect(rows.map((r) => r.id)).toEqual([`${source}/0/0`]);
    const inboxRows = await p.query<{ message_id: string }>(`select message_id from "${inbox.table}"`);
    expect(inboxRows.rows.map((r) => r.message_id)).toEqual([`${source}/0/0`]);
  });

  it("idOf with a producer-assigned id also removes a producer's own resend (same id, new offset)", async () => {
    const p = pool();
    const effects = await effectsTable(p);
    const inbox = createPostgresInbox({
      pool: p,
      table: table('inbox'),
      retention: false,
      idOf: ({ message }) => String(message.headers?.['event-id']),
    });
    await inbox.migrate();
    const source = await topic('kc-inbox-idof');
    await produceMessages(brokers(), source, [
      { value: 'a', headers: { 'event-id': 'evt-1' } },
      { value: 'b', headers: { 'event-id': 'evt-2' } },
      { value: 'a again', headers: { 'event-id': 'evt-1' } },
    ]);
    const duplicates: DuplicateSkipped[] = [];
    inbox.onDuplicate((d) => duplicates.push(d));
    const c = consumer({
      topics: [source],
      handler: inbox.handler(async ({ tx, messageId }) => {
        await tx.query(`insert into "${effects}" (id) values ($1)`, [messageId]);
      }),
    });
    await c.run();
    await waitFor(() => duplicates.length === 1, { message: 'the resend skipped' });
    expect(duplicates[0]).toMatchObject({ messageId: 'evt-1', offset: '2' });
    const { rows } = await p.query<{ id: string }>(`select id from "${effects}" order by id`);
    expect(rows.map((r) => r.id)).toEqual(['evt-1', 'evt-2']);
  });
});
