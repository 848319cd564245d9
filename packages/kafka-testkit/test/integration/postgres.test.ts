import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { userInfo } from 'node:os';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { type PostgresHandle, postgresVersion, startPostgres, waitFor } from '../../src/index.js';

const tsx = createRequire(import.meta.url).resolve('tsx');
const fixture = fileURLToPath(new URL('../fixtures/start-postgres.ts', import.meta.url));

const started: PostgresHandle[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((h) => h.stop()));
});

async function query<R extends pg.QueryResultRow>(url: string, sql: string): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(sql)).rows;
  } finally {
    await client.end();
  }
}

/** The uid a backend process runs as, from /proc (Linux). */
function uidOf(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('Uid:'));
  return Number(line?.split(/\s+/)[1]);
}

describe('startPostgres', () => {
  it("provides the run's real PostgreSQL to every test", async () => {
    const url = inject('postgresUrl');
    expect(await postgresVersion(url)).toMatch(/^\d+/);
  });

  it.runIf(process.platform === 'linux' && userInfo().uid === 0)(
    'runs the local server as an unprivileged user when the caller is root',
    async () => {
      const postgres = await startPostgres({ mode: 'local' });
      started.push(postgres);
      // Read the backend's uid while its session is open (the process ends with the session).
      const session = new pg.Client({ connectionString: postgres.url });
      await session.connect();
      try {
        const { rows } = await session.query<{ pid: number }>('select pg_backend_pid() as pid');
        expect(uidOf(rows[0]?.pid as number)).not.toBe(0);
      } finally {
        await session.end();
      }
    },
  );

  it('stops and restarts a local server on the same port and data; sessions get 57P01', async () => {
    const postgres = await startPostgres({ mode: 'local' });
    started.push(postgres);
    const server = postgres.server as NonNullable<PostgresHandle['server']>;
    await query(postgres.url, 'create table kept (id int primary key); insert into kept values (1)');
    const session = new pg.Client({ connectionString: postgres.url });
    // The session reports the shutdown (57P01), then the closed socket: keep listening to both.
    const ended = new Promise<Error & { code?: string }>((resolve) => session.on('error', resolve));
    await session.connect();
    await server.stop();
    expect(server.running).toBe(false);
    expect((await ended).code).toBe('57P01');
    expect(await postgresVersion(postgres.url, 500)).toBeUndefined();
    await server.start();
    expect(await query<{ id: number }>(postgres.url, 'select id from kept')).toEqual([{ id: 1 }]);
  });

  it('stops the server and removes its data when the process that started it is SIGKILLed', async () => {
    const child = spawn(process.execPath, ['--import', tsx, fixture], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, KAFKAKIT_TEST_POSTGRES_URL: '' },
    });
    const info = await new Promise<{ url: string; dataDir: string }>((resolve, reject) => {
      child.stdout.once('data', (chunk: Buffer) => resolve(JSON.parse(chunk.toString())));
      child.once('exit', (code) => reject(new Error(`fixture exited ${code} before PostgreSQL started`)));
    });
    expect(await postgresVersion(info.url)).toBeDefined();
    child.kill('SIGKILL');
    await waitFor(async () => (await postgresVersion(info.url, 500)) === undefined, {
      timeoutMs: 20_000,
      message: 'the orphaned server to stop',
    });
    await waitFor(() => !existsSync(info.dataDir), { timeoutMs: 10_000, message: 'the data dir to go' });
  });

  it('rejects a KAFKAKIT_TEST_POSTGRES_URL that is not a postgres:// URL, naming it', async () => {
    const saved = process.env.KAFKAKIT_TEST_POSTGRES_URL;
    process.env.KAFKAKIT_TEST_POSTGRES_URL = 'localhost:5432';
    try {
      await expect(startPostgres()).rejects.toThrow(
        /"localhost:5432" is not a postgres:\/\/ connection string/,
      );
    } finally {
      if (saved === undefined) delete process.env.KAFKAKIT_TEST_POSTGRES_URL;
      else process.env.KAFKAKIT_TEST_POSTGRES_URL = saved;
    }
  });
});
