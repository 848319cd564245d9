import type { PostgresHandle } from './types.js';

/** Image of the docker mode; KAFKAKIT_POSTGRES_IMAGE overrides. */
export const POSTGRES_IMAGE = 'postgres:18-alpine';

/** A PostgreSQL container through @testcontainers/postgresql (loaded only when Docker answers). */
export async function startDockerPostgres(env: NodeJS.ProcessEnv = process.env): Promise<PostgresHandle> {
  const started = Date.now();
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  const container = await new PostgreSqlContainer(env.KAFKAKIT_POSTGRES_IMAGE ?? POSTGRES_IMAGE).start();
  const url = container.getConnectionUri();
  const { postgresVersion } = await import('./probe.js');
  return {
    url,
    mode: 'docker',
    version: (await postgresVersion(url, 5000)) ?? 'unknown',
    startupMs: Date.now() - started,
    stop: async () => {
      await container.stop();
    },
  };
}
