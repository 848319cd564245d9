import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { TestkitError } from './errors.js';
import { cacheRoot, ensureBrokerJars } from './local/jars.js';
import { requireJava } from './local/java.js';
import { DEFAULT_KAFKA_VERSION } from './versions.js';

/**
 * Apache Kafka's own command-line tools (`kafka-share-groups.sh`, `kafka-console-share-consumer.sh`,
 * `kafka-features.sh`, ...) run as their Java classes: the broker's classpath plus the one
 * `org.apache.kafka:kafka-tools` jar, fetched once from Maven Central beside the broker jars. Only
 * that jar: its POM pulls Kafka Connect (about 40 MB), which these tools never load.
 */
export function ensureKafkaToolsJar(version: string, env: NodeJS.ProcessEnv = process.env): string {
  const dir = join(cacheRoot(env), `kafka-${version}`, 'tools');
  const jar = join(dir, `kafka-tools-${version}.jar`);
  if (existsSync(jar)) return jar;
  const work = join(cacheRoot(env), `kafka-${version}`, `tools-fetch-${process.pid}-${Date.now()}`);
  mkdirSync(work, { recursive: true });
  try {
    const result = spawnSync(
      'mvn',
      [
        '-B',
        '-q',
        'org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy',
        `-Dartifact=org.apache.kafka:kafka-tools:${version}`,
        `-DoutputDirectory=${work}`,
      ],
      { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024, cwd: work },
    );
    if (result.error || result.status !== 0) {
      const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.split('\n').slice(-20).join('\n');
      throw new TestkitError(
        'TOOLS_FETCH_FAILED',
        `Could not fetch org.apache.kafka:kafka-tools:${version} from Maven Central (mvn exited ` +
          `${result.status}): install Maven and check access to Maven Central.\n${output}`,
        { cause: result.error },
      );
    }
    mkdirSync(dir, { recursive: true });
    try {
      renameSync(join(work, `kafka-tools-${version}.jar`), jar);
    } catch (error) {
      if (!existsSync(jar)) throw error;
    }
    return jar;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export interface KafkaToolOptions {
  version?: string;
  timeoutMs?: number;
  /** Written to the tool's stdin, then closed (e.g. lines for ConsoleProducer). */
  input?: string;
}

function toolCommand(className: string, args: readonly string[], version: string) {
  const java = requireJava(17);
  const { libDir } = ensureBrokerJars(version);
  const tools = ensureKafkaToolsJar(version);
  const jvm = ['-Xmx192m', '-XX:TieredStopAtLevel=1', '-Dlog4j2.rootLevel=WARN'];
  return { java, argv: [...jvm, '-cp', `${libDir}/*:${tools}`, className, ...args] };
}

export interface KafkaToolResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs one Kafka tool class to completion, e.g. `org.apache.kafka.tools.consumer.group.ShareGroupCommand`. */
export async function runKafkaTool(
  className: string,
  args: readonly string[],
  options: KafkaToolOptions = {},
): Promise<KafkaToolResult> {
  const child = startKafkaTool(className, args, options);
  const timeoutMs = options.timeoutMs ?? 60_000;
  const code = await new Promise<number | null>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.process.kill('SIGKILL');
      reject(
        new TestkitError(
          'TOOL_TIMEOUT',
          `${className} did not finish in ${timeoutMs} ms:\n${child.stderr()}`,
        ),
      );
    }, timeoutMs);
    child.process.once('error', reject);
    child.process.once('exit', (exitCode) => {
      clearTimeout(timer);
      resolve(exitCode);
    });
  });
  return { code, stdout: child.stdout(), stderr: child.stderr() };
}

export interface RunningKafkaTool {
  readonly process: ChildProcess;
  /** Everything it printed so far. */
  stdout(): string;
  stderr(): string;
  /** SIGTERM (the tools' shutdown hooks close their clients), SIGKILL after `graceMs`; resolves once it exited. */
  stop(graceMs?: number): Promise<void>;
}

/** Starts a long-running Kafka tool (a console consumer); the caller stops it. */
export function startKafkaTool(
  className: string,
  args: readonly string[],
  options: KafkaToolOptions = {},
): RunningKafkaTool {
  const { java, argv } = toolCommand(
    className,
    args,
    options.version ?? process.env.KAFKA_VERSION ?? DEFAULT_KAFKA_VERSION,
  );
  const child = spawn(java, argv, {
    stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  if (options.input !== undefined) child.stdin?.end(options.input);
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null) resolve();
    child.once('exit', () => resolve());
  });
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  return {
    process: child,
    stdout: () => out,
    stderr: () => err,
    stop: async (graceMs = 10_000) => {
      process.removeListener('exit', kill);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(kill, graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * Sets dynamic configs of a group with Kafka's `kafka-configs.sh` (ConfigCommand), e.g.
 * `{ 'share.auto.offset.reset': 'earliest' }` so a new share group starts at the log start (its
 * default is the end). Rejects with the tool's output when it fails.
 */
export async function alterGroupConfig(
  brokers: readonly string[],
  groupId: string,
  configs: Record<string, string>,
  options: KafkaToolOptions = {},
): Promise<void> {
  const entries = Object.entries(configs)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  const args = ['--bootstrap-server', brokers.join(','), '--alter', '--entity-type', 'groups'];
  const result = await runKafkaTool(
    'org.apache.kafka.tools.ConfigCommand',
    [...args, '--entity-name', groupId, '--add-config', entries],
    options,
  );
  if (result.code !== 0) {
    throw new TestkitError(
      'TOOL_FAILED',
      `kafka-configs --alter for group ${groupId} exited ${result.code}:\n${result.stdout}${result.stderr}`,
    );
  }
}
