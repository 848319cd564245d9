import { describe, expect, it } from 'vitest';
import { type MessageContext, noopLogger } from '../../src/index.js';
import { createPostgresInbox, type DuplicateSkipped } from '../../src/postgres/index.js';
import { count, effectsTable, pool, table } from './postgres-support.js';

/** The context a member's runtime would hand its handler for `offset` (the same message on both). */
function contextOf(offset: number): MessageContext<Buffer | null> {
  return {
    groupId: 'race-group',
    topic: 'orders',
    partition: 0,
    message: {
      key: null,
      value: Buffer.from(`m${offset}`),
      timestamp: '0',
      attributes: 0,
      offset: String(offset),
    },
    value: Buffer.from(`m${offset}`),
    attempt: 1,
    signal: new AbortController().signal,
    heartbeat: async () => undefined,
    log: noopLogger,
  };
}

/** Two members of one group: each its own pool (its own connections), one inbox table. */
async function twoMembers(inboxTable: string) {
  const members = [pool(undefined, { max: 4 }), pool(undefined, { max: 4 })].map((p) => {
    const inbox = createPostgresInbox({ pool: p, table: inboxTable, retention: false });
    const duplicates: DuplicateSkipped[] = [];
    inbox.onDuplicate((d) => duplicates.push(d));
    return { pool: p, inbox, duplicates };
  });
  await members[0]?.inbox.migrate();
  return members as [(typeof members)[0], (typeof members)[0]];
}

/** Resolves once a backend waits on a lock while running a statement on `relation` (the inbox claim). */
async function someoneWaitsOnALock(observer: ReturnType<typeof pool>, relation: string): Promise<void> {
  await expect
    .poll(
      () =>
        count(
          observer,
          "select count(*) n from pg_stat_activity where wait_event_type = 'Lock' and query like $1",
          [`insert into "${relation}"%`],
        ),
      { timeout: 10_000, interval: 20 },
    )
    .toBe(1);
}

describe('PostgreSQL inbox races (two real connections, real server)', () => {
  it('two members handling the same message at once: one applies it, the other waits for it and skips', async () => {
    const inboxTable = table('inbox');
    const [a, b] = await twoMembers(inboxTable);
    const effects = await effectsTable(a.pool);
    let claimed!: () => void;
    const aClaimed = new Promise<void>((resolve) => {
      claimed = resolve;
    });
    let letGo!: () => void;
    const aMayCommit = new Promise<void>((resolve) => {
      letGo = resolve;
    });
    const calls: string[] = [];
    const slow = a.inbox.handler(async ({ tx, messageId }) => {
      calls.push('a');
      await tx.query(`insert into "${effects}" (id) values ($1)`, [messageId]);
      claimed();
      await aMayCommit;
    });
    const fast = b.inbox.handler(async ({ tx, messageId }) => {
      calls.push('b');
      await tx.query(`insert into "${effects}" (id) values ($1)`, [messageId]);
    });
    const first = slow(contextOf(7));
    await aClaimed;
    const second = fast(contextOf(7));
    // The precondition: b really runs concurrently, blocked on a's uncommitted claim of the same id.
    await someoneWaitsOnALock(a.pool, inboxTable);
    letGo();
    await Promise.all([first, second]);
    expect(calls).toEqual(['a']);
    expect(b.duplicates.map((d) => d.messageId)).toEqual(['orders/0/7']);
    expect(await count(a.pool, `select count(*) n from "${effects}"`)).toBe(1);
  });

  it('when the member holding the claim fails and rolls back, the waiting member applies the message', async () => {
    const inboxTable = table('inbox');
    const [a, b] = await twoMembers(inboxTable);
    const effects = await effectsTable(a.pool);
    let claimed!: () => void;
    const aClaimed = new Promise<void>((resolve) => {
      claimed = resolve;
    });
    let fail!: () => void;
    const aFails = new Promise<void>((resolve) => {
      fail = resolve;
    });
    const failing = a.inbox.handler(async ({ tx, messageId }) => {
      await tx.query(`insert into "${effects}" (id) values ($1)`, [`${messageId} by a`]);
      claimed();
      await aFails;
      throw new Error('a fails after writing its effect');
    });
    const succeeding = b.inbox.handler(async ({ tx, messageId }) => {
      await tx.query(`insert into "${effects}" (id) values ($1)`, [`${messageId} by b`]);
    });
    const first = failing(contextOf(3));
    await aClaimed;
    const second = succeeding(contextOf(3));
    await someoneWaitsOnALock(a.pool, inboxTable);
    fail();
    await expect(first).rejects.toThrow('a fails after writing its effect');
    await second;
    expect(b.duplicates).toEqual([]);
    const { rows } = await a.pool.query<{ id: string }>(`select id from "${effects}"`);
    expect(rows.map((r) => r.id)).toEqual(['orders/0/3 by b']);
  });

  it('eight members racing over the same 50 messages apply each exactly once', async () => {
    const inboxTable = table('inbox');
    const p = pool(undefined, { max: 2 });
    const effects = await effectsTable(p);
    const members = Array.from({ length: 8 }, () =>
      createPostgresInbox({ pool: pool(undefined, { max: 3 }), table: inboxTable, retention: false }),
    );
    await members[0]?.migrate();
    let skipped = 0;
    for (const m of members) m.onDuplicate(() => void skipped++);
    const work = members.flatMap((inbox) => {
      const handler = inbox.handler(async ({ tx, messageId }) => {
        await tx.query(`insert into "${effects}" (id) values ($1)`, [messageId]);
      });
      return Array.from({ length: 50 }, (_, offset) => handler(contextOf(offset)));
    });
    await Promise.all(work);
    expect(await count(p, `select count(*) n from "${effects}"`)).toBe(50);
    expect(await count(p, `select count(distinct id) n from "${effects}"`)).toBe(50);
    expect(skipped).toBe(350);
  });
});
