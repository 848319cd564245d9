import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { TestkitError } from '../errors.js';
import { artifactsFor } from '../versions.js';

/** Where broker jars are cached across runs: $KAFKAKIT_CACHE_DIR, else $XDG_CACHE_HOME/kafkakit. */
export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.KAFKAKIT_CACHE_DIR) return env.KAFKAKIT_CACHE_DIR;
  return join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'kafkakit');
}

export function pomFor(version: string): string {
  const deps = artifactsFor(version)
    .dependencies.map((coordinates) => {
      const [groupId, artifactId, v] = coordinates.split(':');
      return `    <dependency><groupId>${groupId}</groupId><artifactId>${artifactId}</artifactId><version>${v}</version></dependency>`;
    })
    .join('\n');
  return `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>kafkakit.local</groupId>
  <artifactId>kafka-broker-${version}</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
${deps}
  </dependencies>
</project>
`;
}

export interface JarsResult {
  readonly libDir: string;
  readonly fetched: boolean;
  readonly ms: number;
}

/**
 * Returns the folder holding the broker's classpath for `version`, fetching it from Maven Central
 * with Maven on first use. The download lands in a temporary folder that is renamed into place only
 * when complete, so an interrupted fetch never leaves a half-filled cache.
 */
export function ensureBrokerJars(version: string, env: NodeJS.ProcessEnv = process.env): JarsResult {
  const started = Date.now();
  const dir = join(cacheRoot(env), `kafka-${version}`);
  const libDir = join(dir, 'lib');
  if (existsSync(join(libDir, `kafka_2.13-${version}.jar`))) {
    return { libDir, fetched: false, ms: Date.now() - started };
  }
  const mvn = spawnSync('mvn', ['--version'], { encoding: 'utf8' });
  if (mvn.error || mvn.status !== 0) {
    throw new TestkitError(
      'MAVEN_NOT_FOUND',
      'Maven (mvn) not found: it fetches the Kafka broker jars from Maven Central on first use. ' +
        'Install Maven, start Docker, or set KAFKAKIT_TEST_BROKERS=host:port to use an existing cluster.',
      { cause: mvn.error },
    );
  }
  mkdirSync(dir, { recursive: true });
  const work = join(dir, `fetch-${process.pid}-${Date.now()}`);
  mkdirSync(work, { recursive: true });
  try {
    writeFileSync(join(work, 'pom.xml'), pomFor(version));
    const result = spawnSync(
      'mvn',
      [
        '-B',
        '-q',
        '-f',
        join(work, 'pom.xml'),
        'org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies',
        '-DincludeScope=runtime',
        `-DoutputDirectory=${join(work, 'lib')}`,
      ],
      { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
    );
    if (result.status !== 0) {
      const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.split('\n').slice(-30).join('\n');
      throw new TestkitError(
        'JARS_FETCH_FAILED',
        `Could not fetch Apache Kafka ${version} from Maven Central (mvn exited ${result.status}). ` +
          `Check network access to Maven Central or set KAFKAKIT_TEST_BROKERS=host:port.\n${output}`,
        { cause: result.error },
      );
    }
    try {
      renameSync(join(work, 'lib'), libDir);
    } catch (error) {
      // Another process finished the same fetch first: its copy is complete, keep it.
      if (!existsSync(join(libDir, `kafka_2.13-${version}.jar`))) throw error;
    }
    return { libDir, fetched: true, ms: Date.now() - started };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export function classpathIsComplete(libDir: string): boolean {
  return existsSync(libDir) && readdirSync(libDir).some((f) => f.startsWith('kafka-server'));
}
