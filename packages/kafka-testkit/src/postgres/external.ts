import { TestkitError } from '../errors.js';
import { waitForPostgres } from './probe.js';
import type { PostgresHandle } from './types.js';

/** Redacts the password of a connection string for messages. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}

/** Uses the server named by KAFKAKIT_TEST_POSTGRES_URL; starts and stops nothing. */
export async function useExternalPostgres(url: string, timeoutMs: number): Promise<PostgresHandle> {
  const started = Date.now();
  if (!/^postgres(ql)?:\/\//.test(url)) {
    throw new TestkitError(
      'BAD_TEST_POSTGRES_URL',
      `KAFKAKIT_TEST_POSTGRES_URL "${redactUrl(url)}" is not a postgres:// connection string`,
    );
  }
  const version = await waitForPostgres(
    url,
    started + timeoutMs,
    () =>
      new TestkitError(
        'POSTGRES_UNREACHABLE',
        `KAFKAKIT_TEST_POSTGRES_URL=${redactUrl(url)} does not answer a query: start that server or unset KAFKAKIT_TEST_POSTGRES_URL`,
      ),
  );
  return { url, mode: 'external', version, startupMs: Date.now() - started, stop: async () => undefined };
}
