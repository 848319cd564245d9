import { spawnSync } from 'node:child_process';
import { TestkitError } from '../errors.js';

/** The major version of the `java` on PATH (or $JAVA_HOME/bin/java), or a clear error. */
export function javaCommand(env: NodeJS.ProcessEnv = process.env): string {
  return env.JAVA_HOME ? `${env.JAVA_HOME}/bin/java` : 'java';
}

export function parseJavaMajor(versionOutput: string): number | undefined {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(versionOutput);
  if (!match) return undefined;
  const first = Number(match[1]);
  return first === 1 ? Number(match[2]) : first;
}

export function requireJava(minimum: number, env: NodeJS.ProcessEnv = process.env): string {
  const command = javaCommand(env);
  const result = spawnSync(command, ['-version'], { encoding: 'utf8' });
  const major = result.error ? undefined : parseJavaMajor(`${result.stderr}${result.stdout}`);
  if (major === undefined || major < minimum) {
    const found = major === undefined ? 'not found' : `is Java ${major}`;
    throw new TestkitError(
      'JAVA_NOT_FOUND',
      `Java ${minimum}+ ${found} (${command}): install a JDK, start Docker, or set KAFKAKIT_TEST_BROKERS=host:port`,
      { cause: result.error },
    );
  }
  return command;
}
