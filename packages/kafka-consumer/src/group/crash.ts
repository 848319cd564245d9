import type { Lifecycle } from '../lifecycle.js';
import { EXIT_CODES } from '../shutdown.js';
import type { ShutdownReport } from '../types.js';
import type { RejoinSupervisor } from './supervisor.js';

export interface CrashParts {
  error: Error;
  supervisor: RejoinSupervisor;
  lifecycle: Lifecycle;
  exitProcess: boolean;
  disconnect: () => Promise<ShutdownReport>;
  exit: (code: number) => void;
}

/** A crash the client will not restart from: restart it ourselves; give up after a few tries (exit CRASH). */
export async function recoverOrExit({
  error,
  supervisor,
  lifecycle,
  exitProcess,
  disconnect,
  exit,
}: CrashParts): Promise<void> {
  let outcome = await supervisor.recoverFromCrash(error);
  while (outcome === 'failed') outcome = await supervisor.recoverFromCrash(error);
  if (outcome === 'exhausted' && !lifecycle.stopping && exitProcess) {
    await disconnect().finally(() => exit(EXIT_CODES.CRASH));
  }
}
