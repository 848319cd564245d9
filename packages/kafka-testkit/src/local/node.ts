import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TestkitError } from '../errors.js';
import { exited, tail, waitForExit } from './broker.js';

const guardianPath = join(dirname(fileURLToPath(import.meta.url)), 'guardian.mjs');

export interface NodeSpec {
  readonly id: number;
  readonly java: string;
  readonly libDir: string;
  readonly propsFile: string;
  readonly logConfig: string;
  readonly logFile: string;
  /** -Xmx of this node's JVM, e.g. '384m'. */
  readonly heap: string;
}

/** Formats one node's storage with the cluster id all nodes share; `extra` e.g. `--add-scram ...`. */
export function formatNodeStorage(spec: NodeSpec, clusterId: string, extra: readonly string[] = []): void {
  const result = spawnSync(
    spec.java,
    [
      '-cp',
      `${spec.libDir}/*`,
      'kafka.tools.StorageTool',
      'format',
      '-t',
      clusterId,
      '-c',
      spec.propsFile,
      '--ignore-formatted',
      ...extra,
    ],
    { encoding: 'utf8' },
  );
  // The output may echo SCRAM arguments: never into the log.
  writeFileSync(spec.logFile, `storage format exit ${result.status}\n`, { flag: 'a' });
  if (result.status !== 0) {
    throw new TestkitError(
      'FORMAT_FAILED',
      `Formatting node ${spec.id}'s storage failed:\n${(result.stderr ?? '').replace(/password=[^,\]\s]*/g, 'password=***').slice(-2000)}`,
      { cause: result.error },
    );
  }
}

/** One node's JVM under its own guardian (dies with the test run), started and stopped at will. */
export class LocalNode {
  #guardian: ChildProcess | undefined;
  #pid: number | undefined;
  #killGuardian: (() => void) | undefined;

  constructor(readonly spec: NodeSpec) {}

  get pid(): number | undefined {
    return this.#pid;
  }

  get running(): boolean {
    const g = this.#guardian;
    return g !== undefined && g.exitCode === null && g.signalCode === null;
  }

  /** Spawns the JVM; resolves with its pid once the guardian reported it (not yet serving). */
  async spawn(): Promise<number> {
    if (this.running) throw new TestkitError('NODE_RUNNING', `Node ${this.spec.id} is already running`);
    const { spec } = this;
    const args = [
      `-Xms${spec.heap}`,
      `-Xmx${spec.heap}`,
      '-XX:+UseG1GC',
      '-XX:TieredStopAtLevel=1',
      '-Djava.awt.headless=true',
      `-Dlog4j2.configurationFile=${spec.logConfig}`,
      '-cp',
      `${spec.libDir}/*`,
      'kafka.Kafka',
      spec.propsFile,
    ];
    const config = JSON.stringify({ command: spec.java, args, logFile: spec.logFile, graceMs: 10_000 });
    const guardian = spawn(process.execPath, [guardianPath, config], {
      stdio: ['pipe', 'pipe', 'inherit'],
      detached: true,
    });
    this.#guardian = guardian;
    const killGuardian = () => guardian.kill('SIGTERM');
    this.#killGuardian = killGuardian;
    process.once('exit', killGuardian);
    guardian.once('exit', () => process.removeListener('exit', killGuardian));
    const jvmPid = new Promise<number>((resolve) => {
      guardian.stdout?.once('data', (chunk: Buffer) =>
        resolve(JSON.parse(chunk.toString()).jvmPid as number),
      );
    });
    this.#pid = await Promise.race([jvmPid, exited(guardian, spec.logFile)]);
    guardian.unref();
    for (const stream of [guardian.stdin, guardian.stdout])
      (stream as unknown as { unref?: () => void })?.unref?.();
    return this.#pid;
  }

  /** Graceful stop (SIGTERM to the JVM via its guardian, SIGKILL after 10 s); resolves when it exited. */
  async stop(): Promise<void> {
    const guardian = this.#guardian;
    if (guardian === undefined || !this.running) return;
    this.#killGuardian?.();
    await waitForExit(guardian, 20_000);
  }

  /** SIGKILL to the JVM: a crash, no controlled shutdown. Resolves when the guardian saw it die. */
  async kill(): Promise<void> {
    const guardian = this.#guardian;
    if (guardian === undefined || !this.running || this.#pid === undefined) return;
    try {
      process.kill(-this.#pid, 'SIGKILL');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
    await waitForExit(guardian, 10_000);
  }

  logTail(): string {
    return tail(this.spec.logFile);
  }
}
