import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ensureBrokerJars } from '@kafkakit/kafka-testkit';

/** Same cache root as the test kit: $KAFKAKIT_CACHE_DIR, else $XDG_CACHE_HOME/kafkakit, else ~/.cache/kafkakit. */
function cacheRoot(): string {
  if (process.env.KAFKAKIT_CACHE_DIR) return process.env.KAFKAKIT_CACHE_DIR;
  return join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'kafkakit');
}

/**
 * Only the kafka-tools jar itself (its POM pulls a lot that ConsumerPerformance does not need: every
 * transitive dependency is excluded). Its real needs (kafka-clients, server-common, tools-api,
 * jopt-simple, log4j) are already in the broker's classpath, which is appended.
 */
function toolsPom(version: string): string {
  return `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>kafkakit.local</groupId>
  <artifactId>kafka-tools-${version}</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>org.apache.kafka</groupId><artifactId>kafka-tools</artifactId><version>${version}</version>
      <exclusions><exclusion><groupId>*</groupId><artifactId>*</artifactId></exclusion></exclusions>
    </dependency>
  </dependencies>
</project>
`;
}

/**
 * The Java classpath for org.apache.kafka.tools.ConsumerPerformance: kafka-tools-<version>.jar,
 * fetched once with Maven into ~/.cache/kafkakit/kafka-tools-<version>/lib, plus the broker jars.
 */
export function consumerPerformanceClasspath(version: string): string {
  const broker = ensureBrokerJars(version);
  const dir = join(cacheRoot(), `kafka-tools-${version}`);
  const lib = join(dir, 'lib');
  if (!existsSync(join(lib, `kafka-tools-${version}.jar`))) {
    const work = join(dir, `fetch-${process.pid}`);
    mkdirSync(work, { recursive: true });
    try {
      writeFileSync(join(work, 'pom.xml'), toolsPom(version));
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
        { encoding: 'utf8' },
      );
      if (result.status !== 0) {
        throw new Error(
          `Fetching org.apache.kafka:kafka-tools:${version} with Maven failed (exit ${result.status}):\n` +
            `${result.stdout}${result.stderr}`.slice(-3000),
        );
      }
      if (!existsSync(lib)) renameSync(join(work, 'lib'), lib);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }
  return `${join(lib, '*')}:${join(broker.libDir, '*')}`;
}
