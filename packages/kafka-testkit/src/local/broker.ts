import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TestkitError } from '../errors.js';
import { clusterIdOf } from '../probe.js';
import type { KafkaHandle, StartKafkaOptions } from '../types.js';
import { artifactsFor } from '../versions.js';
import { clusterId, log4j1Properties, log4j2Properties, serverProperties } from './config.js';
import { ensureBrokerJars } from './jars.js';
import { requireJava } from './java.js';
import { freePort } from './ports.js';

const guardianPath = join(dirname(fileURLToPath(import.meta.url)), 'guardian.mjs');

export function tail(file: string, lines = 40): string {
  if (!existsSync(file)) return '(no log written)';
  return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
}

interface Layout {
  readonly base: string;
  readonly dataDir: string;
  readonly logFile: string;
  readonly ownsBase: boolean;
}

function layout(options: StartKafkaOptions): Layout {
  if (options.dataDir) {
    mkdirSync(options.dataDir, { recursive: true });
    const base = options.dataDir;
    return { base, dataDir: join(base, 'data'), logFile: join(base, 'broker.log'), ownsBase: false };
  }
  const base = mkdtempSync(join(tmpdir(), 'kafkakit-'));
  return { base, dataDir: join(base, 'data'), logFile: join(base, 'broker.log'), ownsBase: true };
}

function formatStorage(
  java: string,
  libDir: string,
  propsFile: string,
  logFile: string,
  dataDir: string,
  features: readonly string[],
): string {
  // Restarting on existing data must keep its cluster id: `format --ignore-formatted` checks it.
  const id = readClusterId(dataDir) ?? clusterId(randomBytes(16));
  const result = spawnSync(
    java,
    [
      '-cp',
      `${libDir}/*`,
      'kafka.tools.StorageTool',
      'format',
      '-t',
      id,
      '-c',
      propsFile,
      '--ignore-formatted',
      ...features.flatMap((feature) => ['--feature', feature]),
    ],
    { encoding: 'utf8' },
  );
  writeFileSync(logFile, `${result.stdout ?? ''}${result.stderr ?? ''}`, { flag: 'a' });
  if (result.status !== 0) {
    throw new TestkitError('FORMAT_FAILED', `Formatting the broker storage failed:\n${tail(logFile)}`, {
      cause: result.error,
    });
  }
  return id;
}

/** `--ignore-formatted` keeps an existing id (restart on the same data): read what is on disk. */
export function readClusterId(dataDir: string): string | undefined {
  const file = join(dataDir, 'meta.properties');
  if (!existsSync(file)) return undefined;
  return /^cluster\.id=(.+)$/m.exec(readFileSync(file, 'utf8'))?.[1]?.trim();
}

export function waitForExit(child: ChildProcess, ms: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Starts a single-node KRaft broker from the Maven Central jars; resolves once metadata answers. */
export async function startLocalBroker(options: StartKafkaOptions, version: string): Promise<KafkaHandle> {
  const artifacts = artifactsFor(version);
  const java = requireJava(version.startsWith('3.') ? 11 : 17);
  const jars = ensureBrokerJars(version);
  const dirs = layout(options);
  const timeoutMs = options.startTimeoutMs ?? 120_000;
  const started = Date.now();
  let lastError: unknown;
  for (let attempt = 1; attempt <= 3; attempt++) {
    const port = options.port ?? (await freePort());
    const controllerPort = await freePort();
    const propsFile = join(dirs.base, 'server.properties');
    writeFileSync(propsFile, serverProperties({ port, controllerPort }, dirs.dataDir));
    const logConfig = join(
      dirs.base,
      artifacts.logging === 'log4j2' ? 'log4j2.properties' : 'log4j.properties',
    );
    writeFileSync(logConfig, artifacts.logging === 'log4j2' ? log4j2Properties() : log4j1Properties());
    if (options.port !== undefined && !(await portIsFree(options.port))) {
      throw new TestkitError(
        'PORT_IN_USE',
        `Port ${options.port} on 127.0.0.1 is already in use (another broker?): stop it, or pick another port (pnpm kafka --port 9095)`,
      );
    }
    const expectedId = formatStorage(
      java,
      jars.libDir,
      propsFile,
      dirs.logFile,
      dirs.dataDir,
      options.shareGroups === false ? ['share.version=0'] : [],
    );
    const logFlag =
      artifacts.logging === 'log4j2'
        ? `-Dlog4j2.configurationFile=${logConfig}`
        : `-Dlog4j.configuration=file:${logConfig}`;
    const args = [
      `-Xms${options.heap ?? '256m'}`,
      `-Xmx${options.heap ?? '512m'}`,
      '-XX:+UseG1GC',
      '-XX:TieredStopAtLevel=1',
      '-Djava.awt.headless=true',
      logFlag,
      '-cp',
      `${jars.libDir}/*`,
      'kafka.Kafka',
      propsFile,
    ];
    const config = JSON.stringify({
      command: java,
      args,
      logFile: dirs.logFile,
      graceMs: 10_000,
      removeDir: dirs.ownsBase ? dirs.base : undefined,
    });
    // Its own process group: a signal to the test run's group (Ctrl-C, kill -9 -PGID) must not take the
    // guardian down before it has stopped the JVM; it notices its parent's death by its stdin closing.
    const guardian = spawn(process.execPath, [guardianPath, config], {
      stdio: ['pipe', 'pipe', 'inherit'],
      detached: true,
    });
    const killGuardian = () => guardian.kill('SIGTERM');
    process.once('exit', killGuardian);
    const jvmPid = new Promise<number>((resolve) => {
      guardian.stdout?.once('data', (chunk: Buffer) =>
        resolve(JSON.parse(chunk.toString()).jvmPid as number),
      );
    });
    const brokers = [`127.0.0.1:${port}`];
    let pid: number;
    try {
      pid = await Promise.race([jvmPid, exited(guardian, dirs.logFile)]);
      // From here on the guardian must never keep the caller's event loop alive: the caller decides.
      guardian.unref();
      for (const stream of [guardian.stdin, guardian.stdout])
        (stream as unknown as { unref?: () => void })?.unref?.();
      await waitUntilReady(brokers, expectedId, guardian, dirs.logFile, started + timeoutMs);
    } catch (error) {
      process.removeListener('exit', killGuardian);
      killGuardian();
      await waitForExit(guardian, 15_000);
      lastError = error;
      if (/Address already in use/.test(tail(dirs.logFile, 200)) && options.port === undefined) continue;
      if (dirs.ownsBase && !options.keepLogOnFailure) rmSync(dirs.base, { recursive: true, force: true });
      throw error;
    }
    let stopped = false;
    return {
      brokers,
      version,
      mode: 'local',
      startupMs: Date.now() - started,
      jarsFetchedMs: jars.fetched ? jars.ms : undefined,
      logFile: dirs.logFile,
      dataDir: dirs.base,
      logDir: dirs.dataDir,
      pid,
      pause: async () => {
        guardian.kill('SIGUSR1');
      },
      resume: async () => {
        guardian.kill('SIGUSR2');
      },
      stop: async (stopOptions) => {
        if (stopped) return;
        stopped = true;
        process.removeListener('exit', killGuardian);
        killGuardian();
        await waitForExit(guardian, 20_000);
        if (dirs.ownsBase && !stopOptions?.keepData) rmSync(dirs.base, { recursive: true, force: true });
      },
    };
  }
  throw lastError;
}

export function exited(guardian: ChildProcess, logFile: string): Promise<never> {
  return new Promise((_, reject) => {
    guardian.once('exit', () =>
      reject(
        new TestkitError(
          'BROKER_EXITED',
          `The Kafka broker exited during start-up. Log tail:\n${tail(logFile)}`,
        ),
      ),
    );
  });
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

async function waitUntilReady(
  brokers: string[],
  expectedId: string,
  guardian: ChildProcess,
  logFile: string,
  deadline: number,
) {
  for (;;) {
    if (guardian.exitCode !== null || guardian.signalCode !== null) {
      throw new TestkitError(
        'BROKER_EXITED',
        `The Kafka broker exited during start-up. Log tail:\n${tail(logFile)}`,
      );
    }
    if (Date.now() > deadline) {
      throw new TestkitError(
        'BROKER_START_TIMEOUT',
        `The Kafka broker did not answer in time. Log tail:\n${tail(logFile)}`,
      );
    }
    // Only our broker counts: another one answering on the same port would have another cluster id.
    if ((await clusterIdOf(brokers, 1000)) === expectedId) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
