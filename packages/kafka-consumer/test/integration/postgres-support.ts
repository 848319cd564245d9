import { uniqueName } from '@kafkakit/kafka-testkit';
import type {} from '@kafkakit/kafka-testkit/vitest-setup';
import pg from 'pg';
import { afterEach, inject } from 'vitest';

/** The run's real PostgreSQL (test kit: KAFKAKIT_TEST_POSTGRES_URL, Docker, or a local server). */
export const postgresUrl = (): string => inject('postgresUrl');

const pools: pg.Pool[] = [];
const tables: Array<{ url: string; name: string }> = [];

afterEach(async () => {
  const dropping = tables.splice(0);
  if (dropping.length > 0) {
    const client = new pg.Client({ connectionString: postgresUrl() });
    await client.connect().catch(() => undefined);
    for (const t of dropping)
      if (t.url === postgresUrl())
        await client.query(`drop table if exists "${t.name}"`).catch(() => undefined);
    await client.end().catch(() => undefined);
  }
  await Promise.all(pools.splice(0).map((p) => p.end().catch(() => undefined)));
});

/** A pool ended after the test; errors of idle clients (a server stopped on purpose) are ignored. */
export function pool(url = postgresUrl(), config: pg.PoolConfig = {}): pg.Pool {
  const p = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 2000, ...config });
  p.on('error', () => undefined);
  pools.push(p);
  return p;
}

/** A table name unique to this test (dropped after it on the run's server). */
export function table(prefix: string, url = postgresUrl()): string {
  const name = uniqueName(prefix)
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_')
    .slice(0, 50);
  tables.push({ url, name });
  return name;
}

/** Creates an effects table: one row per applied effect, `id` NOT unique (duplicates would show). */
export async function effectsTable(p: pg.Pool, prefix = 'effects'): Promise<string> {
  const name = table(prefix);
  await p.query(`create table "${name}" (id text not null, applied_at timestamptz not null default now())`);
  return name;
}

export async function count(p: pg.Pool, sql: string, values: unknown[] = []): Promise<number> {
  const { rows } = await p.query<{ n: string }>(sql, values);
  return Number(rows[0]?.n ?? 0);
}
