import type { Logger } from './logger.js';
import type { ShutdownReport } from './types.js';

/** Process exit codes used when the runtime handles signals (`shutdown.exitProcess`). */
export const EXIT_CODES = {
  /** Signal received, every in-flight handler finished, offsets committed, group left. */
  OK: 0,
  /** The client crashed for good (not restartable), or shutdown itself failed. */
  CRASH: 1,
  /** Signal received but the drain deadline passed: handlers were aborted, their messages will be redelivered. */
  DRAIN_TIMEOUT: 70,
  /** A second signal arrived during the drain: exited at once. */
  FORCED: 130,
} as const;

export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

export interface SignalShutdownOptions {
  signals: readonly NodeJS.Signals[];
  exitProcess: boolean;
  logger: Logger;
  /** The graceful shutdown (consumer.disconnect). */
  stop: () => Promise<ShutdownReport>;
  /** Injectable for tests; defaults to process.exit. */
  exit?: (code: number) => void;
}

/** The exit code for a finished shutdown. */
export function exitCodeFor(report: ShutdownReport): ExitCode {
  return report.drained ? EXIT_CODES.OK : EXIT_CODES.DRAIN_TIMEOUT;
}

/**
 * Signals -> graceful stop -> exit with EXIT_CODES. A second signal during the stop exits at once
 * with EXIT_CODES.FORCED. Returns a function removing the handlers.
 */
export function installSignalHandlers(options: SignalShutdownOptions): () => void {
  const { signals, exitProcess, logger, stop } = options;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let received: NodeJS.Signals | undefined;

  const onSignal = (signal: NodeJS.Signals) => {
    if (received !== undefined) {
      logger.warn({ signal, first: received }, 'second signal during shutdown; exiting now');
      if (exitProcess) exit(EXIT_CODES.FORCED);
      return;
    }
    received = signal;
    logger.info({ signal }, 'signal received; draining and shutting down');
    stop().then(
      (report) => {
        const code = exitCodeFor(report);
        logger.info({ signal, code, ...report }, 'shutdown complete');
        if (exitProcess) exit(code);
      },
      (error: unknown) => {
        logger.error({ err: error, signal }, 'shutdown failed');
        if (exitProcess) exit(EXIT_CODES.CRASH);
      },
    );
  };

  for (const signal of signals) process.on(signal, onSignal);
  return () => {
    for (const signal of signals) process.off(signal, onSignal);
  };
}
