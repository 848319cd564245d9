import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type ChildConfig, CONFIG_ENV, encodeConfig } from './config.js';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
/** tsx's ESM loader, resolved from this package (not from whatever the cwd is). */
const tsxLoader = pathToFileURL(
  join(dirname(require.resolve('tsx/package.json')), 'dist', 'loader.mjs'),
).href;
const childScript = join(here, 'consumer-child.ts');

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Epoch ms of the exit. */
  at: number;
}

export interface ConsumerChild {
  readonly pid: number;
  /** Resolves when the child printed READY (joined its group); rejects if it exits first or times out. */
  readonly ready: Promise<void>;
  readonly exited: Promise<ExitInfo>;
  /** Sends a signal; returns the epoch ms it was sent. */
  signal(sig: NodeJS.Signals): number;
  isRunning(): boolean;
  /** How it exited, once it did. */
  readonly exitInfo: ExitInfo | undefined;
}

/**
 * Starts `consumer-child.ts` under tsx with `config` (the `@kafkakit/source` condition: the runtime's
 * TypeScript sources, not a possibly stale dist/); its stdout/stderr go to `logPath`. */
export function spawnConsumer(config: ChildConfig, logPath: string, readyTimeoutMs = 60_000): ConsumerChild {
  const log = createWriteStream(logPath, { flags: 'a' });
  const child: ChildProcess = spawn(
    process.execPath,
    ['--conditions=@kafkakit/source', '--import', tsxLoader, childScript],
    {
      env: { ...process.env, [CONFIG_ENV]: encodeConfig(config) },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let running = true;
  let exitInfo: ExitInfo | undefined;
  const exited = new Promise<ExitInfo>((resolve) => {
    child.once('exit', (code, signal) => {
      running = false;
      exitInfo = { code, signal, at: Date.now() };
      resolve(exitInfo);
    });
  });
  exited.then(
    () => log.end(),
    () => log.end(),
  );
  child.stderr?.pipe(log, { end: false });
  const ready = new Promise<void>((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(
      () =>
        reject(
          new Error(`consumer child ${child.pid} not ready within ${readyTimeoutMs} ms (log: ${logPath})`),
        ),
      readyTimeoutMs,
    );
    child.stdout?.on('data', (chunk: Buffer) => {
      log.write(chunk);
      buffered += chunk.toString();
      if (buffered.includes('READY\n')) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then((info) => {
      clearTimeout(timer);
      reject(
        new Error(
          `consumer child exited (code ${info.code}, signal ${info.signal}) before READY (log: ${logPath})`,
        ),
      );
    });
  });
  ready.catch(() => undefined);
  return {
    pid: child.pid ?? -1,
    ready,
    exited,
    signal: (sig) => {
      child.kill(sig);
      return Date.now();
    },
    isRunning: () => running,
    get exitInfo() {
      return exitInfo;
    },
  };
}
