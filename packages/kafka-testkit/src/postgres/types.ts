/** How the test kit got its PostgreSQL: a URL it was given, a container, or a server it runs here. */
export type PostgresMode = 'external' | 'docker' | 'local';

export interface StartPostgresOptions {
  /** Force a mode instead of choosing (KAFKAKIT_POSTGRES_MODE does the same). @default chosen */
  mode?: PostgresMode;
  /** Local mode: listen on this port of 127.0.0.1. @default a free port */
  port?: number;
  /** Give up (and show the log tail) after this long. @default 60_000 */
  startTimeoutMs?: number;
  /**
   * Local mode: fsync and synchronous commit on, as in production (benchmarks). Off by default: a
   * test server's data dies with it, and a commit then costs no disk flush.
   * @default false
   */
  durable?: boolean;
}

/** Local mode: the server process itself, for fault tests (the data and the port stay). */
export interface PostgresServerControl {
  /** Fast shutdown (every session gets 57P01 "terminating connection due to administrator command"). */
  stop(): Promise<void>;
  /** SIGKILL of the postmaster and its backends: a crash. */
  kill(): Promise<void>;
  /** Starts it again on the same port and data; resolves once it accepts connections. */
  start(): Promise<void>;
  readonly running: boolean;
}

export interface PostgresHandle {
  /** A connection string for the server's `postgres` database, e.g. postgres://postgres@127.0.0.1:5432/postgres. */
  readonly url: string;
  readonly mode: PostgresMode;
  /** The server's version (`SHOW server_version`). */
  readonly version: string;
  /** Time from the call to the first successful query. */
  readonly startupMs: number;
  /** Local mode: the server's log file. */
  readonly logFile?: string;
  /** Local mode: the data directory (PGDATA). */
  readonly dataDir?: string;
  /** Local mode: stop, kill and restart the server process. */
  readonly server?: PostgresServerControl;
  /** Stops what the kit started (nothing for an external URL) and removes its temp data. */
  stop(): Promise<void>;
}
