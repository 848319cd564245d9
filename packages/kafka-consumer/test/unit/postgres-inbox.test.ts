import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, DependencyUnavailableError, noopLogger } from '../../src/index.js';
import {
  classifyPostgresError,
  createPostgresInbox,
  inboxMigration,
  isPostgresUnavailable,
} from '../../src/postgres/index.js';

const withCode = (code: string, message = `error ${code}`) => Object.assign(new Error(message), { code });
const noPool = { connect: async () => Promise.reject(new Error('unused')) };

describe('PostgreSQL inbox: which failures mean "the database is unavailable"', () => {
  it.each([
    ['admin shutdown', withCode('57P01')],
    ['crash shutdown', withCode('57P02')],
    ['starting up / in recovery', withCode('57P03')],
    ['too many connections', withCode('53300')],
    ['out of memory', withCode('53200')],
    ['serialization failure', withCode('40001')],
    ['deadlock', withCode('40P01')],
    ['connection failure', withCode('08006')],
    ['connection refused', withCode('ECONNREFUSED')],
    ['connection reset', withCode('ECONNRESET')],
    ['a lost connection (pg, no code)', new Error('Connection terminated unexpectedly')],
    ['a pool connect timeout (pg, no code)', new Error('timeout exceeded when trying to connect')],
    ['refused on every address', new AggregateError([withCode('ECONNREFUSED'), withCode('ECONNREFUSED')])],
    ['wrapped by the handler', new Error('saving failed', { cause: withCode('57P01') })],
  ])('%s is classified as DependencyUnavailableError (postgres)', (_, error) => {
    expect(isPostgresUnavailable(error)).toBe(true);
    const classified = classifyPostgresError(error);
    expect(classified).toBeInstanceOf(DependencyUnavailableError);
    expect(classified).toMatchObject({
      code: 'DEPENDENCY_UNAVAILABLE',
      retriable: true,
      dependency: 'postgres',
    });
    expect((classified as Error).cause).toBe(error);
  });

  it.each([
    ['unique violation', withCode('23505')],
    ['syntax error', withCode('42601')],
    ['undefined table', withCode('42P01')],
    ['a plain handler error', new Error('bad data')],
  ])('%s stays what it is (normal retry and DLQ)', (_, error) => {
    expect(isPostgresUnavailable(error)).toBe(false);
    expect(classifyPostgresError(error)).toBe(error);
  });
});

describe('PostgreSQL inbox: migration and options', () => {
  it('ships sql/postgres-inbox.sql equal to inboxMigration() for the default table', () => {
    const shipped = readFileSync(new URL('../../sql/postgres-inbox.sql', import.meta.url), 'utf8');
    expect(shipped).toBe(inboxMigration());
  });

  it('the migration is idempotent DDL with the dedup key and the retention index', () => {
    const ddl = inboxMigration('app.inbox');
    expect(ddl).toContain('create table if not exists "app"."inbox"');
    expect(ddl).toContain('primary key (group_id, message_id)');
    expect(ddl).toContain('create index if not exists "inbox_handled_at_idx" on "app"."inbox" (handled_at)');
  });

  it('rejects a table name that is not a plain identifier, naming the fix', () => {
    expect(() => createPostgresInbox({ pool: noPool, table: 'inbox; drop table x' })).toThrow(ConfigError);
    expect(() => createPostgresInbox({ pool: noPool, table: 'Inbox' })).toThrow(
      /table: "Inbox" is not a plain table name/,
    );
    expect(() => createPostgresInbox({ pool: {} as never })).toThrow(/pool: must be a pg Pool/);
  });

  it('a pool that cannot connect makes the handler throw DependencyUnavailableError', async () => {
    const refused = { connect: async () => Promise.reject(withCode('ECONNREFUSED', 'connect ECONNREFUSED')) };
    const inbox = createPostgresInbox({ pool: refused as never, retention: false });
    const handler = inbox.handler(async () => undefined);
    await expect(
      handler({
        groupId: 'g',
        topic: 't',
        partition: 0,
        message: { key: null, value: null, timestamp: '0', attributes: 0, offset: '0' },
        value: null,
        attempt: 1,
        signal: new AbortController().signal,
        heartbeat: async () => undefined,
        log: noopLogger,
      }),
    ).rejects.toBeInstanceOf(DependencyUnavailableError);
  });
});
