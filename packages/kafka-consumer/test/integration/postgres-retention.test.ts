import { waitFor } from '@kafkakit/kafka-testkit';
import { describe, expect, it } from 'vitest';
import { createPostgresInbox } from '../../src/postgres/index.js';
import { inboxStatements } from '../../src/postgres/sql.js';
import { count, pool, table } from './postgres-support.js';

async function fill(
  p: ReturnType<typeof pool>,
  inbox: string,
  rows: number,
  age: string,
  from = 0,
): Promise<void> {
  await p.query(
    `insert into "${inbox}" (group_id, message_id, topic, "partition", "offset", handled_at)
     select 'g', 't/0/' || i, 't', 0, i, now() - $3::interval from generate_series($1::int, $2::int) i`,
    [from, from + rows - 1, age],
  );
}

describe('PostgreSQL inbox retention (real server)', () => {
  it('deletes rows older than maxAgeMs in small batches on its timer, keeps the young ones', async () => {
    const p = pool();
    const name = table('inbox');
    const setup = createPostgresInbox({ pool: p, table: name, retention: false });
    await setup.migrate();
    await fill(p, name, 35, '2 hours');
    await fill(p, name, 5, '1 minute', 1000);
    // The precondition: the old rows are there before any retention timer exists.
    expect(await count(p, `select count(*) n from "${name}"`)).toBe(40);
    const inbox = createPostgresInbox({
      pool: p,
      table: name,
      retention: { maxAgeMs: 3_600_000, intervalMs: 50, batchSize: 10 },
    });
    try {
      await waitFor(async () => (await count(p, `select count(*) n from "${name}"`)) === 5, {
        message: 'only the 5 young rows left',
      });
      expect(await inbox.expire()).toBe(0);
      expect(await count(p, `select count(*) n from "${name}" where "offset" >= 1000`)).toBe(5);
    } finally {
      await inbox.close();
    }
  });

  it('expire() deletes in batches, and the delete finds its rows through the handled_at index', async () => {
    const p = pool();
    const inbox = createPostgresInbox({
      pool: p,
      table: table('inbox'),
      retention: { maxAgeMs: 3_600_000, intervalMs: 3_600_000, batchSize: 100 },
    });
    try {
      await inbox.migrate();
      await fill(p, inbox.table, 20_000, '1 minute');
      await fill(p, inbox.table, 250, '3 hours', 100_000);
      await p.query(`analyze "${inbox.table}"`);
      const plan = await p.query<{ 'QUERY PLAN': string }>(`explain ${inboxStatements(inbox.table).expire}`, [
        new Date(Date.now() - 3_600_000),
        100,
      ]);
      expect(plan.rows.map((r) => r['QUERY PLAN']).join('\n')).toMatch(
        /Index (Only )?Scan using \S+_handled_at_idx/,
      );
      expect(await inbox.expire()).toBe(250);
      expect(await count(p, `select count(*) n from "${inbox.table}"`)).toBe(20_000);
    } finally {
      await inbox.close();
    }
  });
});
