import pg from 'pg';

/** The server's version when a query on `url` succeeds within `timeoutMs`, else undefined. */
export async function postgresVersion(url: string, timeoutMs = 2000): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const result = await client.query<{ server_version: string }>('show server_version');
    return result.rows[0]?.server_version;
  } catch {
    return undefined;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Waits (bounded) until `url` answers a query; resolves with the version or throws `failure()`. */
export async function waitForPostgres(
  url: string,
  deadline: number,
  failure: () => Error,
  gone: () => boolean = () => false,
): Promise<string> {
  for (;;) {
    if (gone()) throw failure();
    const version = await postgresVersion(url, 1000);
    if (version !== undefined) return version;
    if (Date.now() > deadline) throw failure();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
